/**
 * The gateway is measured as it runs in production: compiled by `npm run build` and started as
 * `node dist/server.js`, so neither tsx's loader nor its memory is in the figures.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

export function buildGateway (gatewayDir: string): string {
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: gatewayDir, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`npm run build failed in ${gatewayDir}:\n${result.stdout}${result.stderr}`)
  return join(gatewayDir, 'dist/server.js')
}
