/** Entry point: configuration → app → listen; SIGTERM/SIGINT finish in-flight requests, then exit. */
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'

async function main (): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`)
      process.exit(78) // EX_CONFIG
    }
    throw err
  }
  let app
  try {
    app = await buildApp(config)
  } catch (err) {
    // Configuration read at build time (the clients file, the signing key) fails like a bad variable.
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`)
      process.exit(78)
    }
    throw err
  }
  closeWithGrace({ delay: config.shutdownGraceMs }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
  })
  await app.listen({ port: config.port, host: config.host })
  app.log.info({ store: config.store.kind, fhirBaseUrl: config.fhirBaseUrl }, 'gateway ready')
}

await main()
