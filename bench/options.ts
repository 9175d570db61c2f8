/**
 * Bench settings from flags, falling back to BENCH_* environment variables, then defaults.
 * Every duration is bounded so a run always stops by itself.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

/** This checkout: the gateway measured unless --gateway-dir names another one. */
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url))

export interface BenchOptions {
  readonly store: 'postgres' | 'pglite'
  /**
   * The gateway checkout to run (its src/server.ts, migrations and profiles/): this one by
   * default, or e.g. a clean clone of a commit while this working tree is mid-edit.
   */
  readonly gatewayDir: string
  /** Server to create the bench's own database on (postgres store); it is dropped at the end. */
  readonly adminUrl: string
  readonly rounds: number
  readonly connections: number
  /** Measured seconds of every phase except the long create. */
  readonly seconds: number
  /** Measured seconds of the gateway create, long enough to show drift. */
  readonly createSeconds: number
  readonly warmupSeconds: number
  /** Width of the drift slices of the create run. */
  readonly sliceSeconds: number
  /** Rows present before the first measurement, in the gateway and in the raw tables. */
  readonly seedRows: number
}

const USAGE = `npm run bench -- [--store=postgres|pglite] [--gateway-dir=PATH] [--rounds=3] [--seconds=10] [--create-seconds=60]
  [--warmup-seconds=3] [--slice-seconds=10] [--connections=16] [--seed-rows=50000] [--admin-url=postgres://…]
Environment: BENCH_STORE, BENCH_GATEWAY_DIR, BENCH_ROUNDS, BENCH_SECONDS, BENCH_CREATE_SECONDS, BENCH_WARMUP_SECONDS,
  BENCH_SLICE_SECONDS, BENCH_CONNECTIONS, BENCH_SEED_ROWS, BENCH_ADMIN_URL`

export function parseOptions (argv: string[], env: Record<string, string | undefined>): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      store: { type: 'string' },
      'gateway-dir': { type: 'string' },
      'admin-url': { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      seconds: { type: 'string' },
      'create-seconds': { type: 'string' },
      'warmup-seconds': { type: 'string' },
      'slice-seconds': { type: 'string' },
      'seed-rows': { type: 'string' },
      help: { type: 'boolean' }
    }
  })
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`)
    process.exit(0)
  }
  const store = values.store ?? env.BENCH_STORE ?? 'postgres'
  if (store !== 'postgres' && store !== 'pglite') throw new Error(`--store must be postgres or pglite\n${USAGE}`)
  const gatewayDir = resolve(values['gateway-dir'] ?? env.BENCH_GATEWAY_DIR ?? PROJECT_ROOT)
  if (!existsSync(resolve(gatewayDir, 'src/server.ts'))) throw new Error(`${gatewayDir} holds no src/server.ts\n${USAGE}`)
  const adminUrl = values['admin-url'] ?? env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  const host = new URL(adminUrl).hostname
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error('The bench only talks to 127.0.0.1')
  const int = (flag: string | undefined, envValue: string | undefined, fallback: number, min: number, max: number): number => {
    const n = Number(flag ?? envValue ?? fallback)
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`expected an integer in ${min}..${max}, got ${flag ?? envValue}\n${USAGE}`)
    return n
  }
  return {
    store,
    gatewayDir,
    adminUrl,
    rounds: int(values.rounds, env.BENCH_ROUNDS, 3, 1, 9),
    connections: int(values.connections, env.BENCH_CONNECTIONS, 16, 1, 256),
    seconds: int(values.seconds, env.BENCH_SECONDS, 10, 1, 600),
    createSeconds: int(values['create-seconds'], env.BENCH_CREATE_SECONDS, 60, 1, 3600),
    warmupSeconds: int(values['warmup-seconds'], env.BENCH_WARMUP_SECONDS, 3, 0, 60),
    sliceSeconds: int(values['slice-seconds'], env.BENCH_SLICE_SECONDS, 10, 1, 600),
    seedRows: int(values['seed-rows'], env.BENCH_SEED_ROWS, 50_000, 0, 1_000_000)
  }
}
