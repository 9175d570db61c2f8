/**
 * The ceiling for any Fastify service on this machine: one route returning a small JSON object,
 * no plugins, no logging. Run as a child process started the same way as the gateway (tsx), so
 * the two differ only in what the route does.
 */
import { fastify } from 'fastify'

const app = fastify({ logger: false })
app.get('/', async () => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational' }] }))

// Same shutdown behaviour the bench expects of the gateway: SIGTERM closes and exits.
process.once('SIGTERM', () => { void app.close().then(() => process.exit(0)) })

await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' })
