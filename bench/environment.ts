/**
 * What the numbers depend on besides the code: the machine, its load, the referral size and the
 * exact source measured. Printed with every report, since figures from a shared 2-core box mean
 * little without them.
 */
import { execFileSync } from 'node:child_process'
import { GATEWAY_NODE_ARGS } from './gateway-node-args.js'
import os from 'node:os'
import { referralBytes } from './referral.js'

export function describeRun (gatewayDir: string): string[] {
  const sizes = referralBytes()
  return [
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ` +
      `load average at start ${os.loadavg().map(l => l.toFixed(2)).join(' ')}`,
    `Referral ServiceRequest: ${sizes.body} bytes as sent, ${sizes.stored} bytes as stored (the raw tables store the same)`,
    `Gateway source: ${sourceRevision(gatewayDir)} in ${gatewayDir}, compiled with \`npm run build\` and run as \`node ${GATEWAY_NODE_ARGS.join(' ')} dist/server.js\` with LOG_LEVEL=silent`
  ]
}

/** The commit measured, and whether src/ had uncommitted changes (the numbers belong to both). */
function sourceRevision (gatewayDir: string): string {
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: gatewayDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  try {
    const dirty = git('status', '--porcelain', '--', 'src').length > 0
    return `commit ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in src/' : ''}`
  } catch {
    return 'unknown revision (not a git checkout)'
  }
}

/** The 1-minute load average now: other work on a shared machine shows up here. */
export function loadAverage (): number {
  return os.loadavg()[0] ?? Number.NaN
}
