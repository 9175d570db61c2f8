/**
 * What the figures depend on besides the code: machine, load, PostgreSQL settings and the
 * source revision. Printed with every report; numbers from a shared 2-core box mean little
 * without them.
 */
import { execFileSync } from 'node:child_process'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import type pg from 'pg'

const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url))
const PG_SETTINGS = ['server_version', 'shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit', 'max_parallel_workers_per_gather']

export function machineLine (): string {
  return `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ` +
    `load average ${loadLine()}`
}

export function loadLine (): string {
  return os.loadavg().map(l => l.toFixed(2)).join(' ')
}

export async function postgresLine (client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ name: string, setting: string }>(
    'SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name = ANY($1::text[]) ORDER BY name', [PG_SETTINGS])
  return `PostgreSQL ${rows.map(r => `${r.name}=${r.setting}`).join(', ')}`
}

/** The commit measured, and whether src/ had uncommitted changes (the numbers belong to both). */
export function sourceLine (): string {
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: PROJECT_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  try {
    const dirty = git('status', '--porcelain', '--', 'src').length > 0
    return `gateway source: commit ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in src/' : ''}`
  } catch {
    return 'gateway source: unknown revision'
  }
}
