/** Settings of `npm run bench:auth`, from flags; every duration is bounded so a run stops by itself. */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface AuthBenchOptions {
  readonly store: 'postgres' | 'pglite'
  readonly gatewayDir: string
  readonly adminUrl: string
  readonly rounds: number
  readonly connections: number
  readonly seconds: number
  readonly warmupSeconds: number
  readonly seedRows: number
  /** Extra environment of the gateway with auth on (e.g. audit settings once audit is merged). */
  readonly onEnv: Readonly<Record<string, string>>
}

const USAGE = `npm run bench:auth -- [--store=postgres|pglite] [--rounds=3] [--seconds=10] [--warmup-seconds=3]
  [--connections=16] [--seed-rows=5000] [--gateway-dir=PATH] [--admin-url=postgres://…] [--on-env KEY=VALUE …]`

export function parseAuthBenchOptions (argv: string[]): AuthBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      store: { type: 'string', default: 'postgres' },
      'gateway-dir': { type: 'string', default: PROJECT_ROOT },
      'admin-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '16' },
      seconds: { type: 'string', default: '10' },
      'warmup-seconds': { type: 'string', default: '3' },
      'seed-rows': { type: 'string', default: '5000' },
      'on-env': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean' }
    }
  })
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`)
    process.exit(0)
  }
  const store = values.store
  if (store !== 'postgres' && store !== 'pglite') throw new Error(`--store must be postgres or pglite\n${USAGE}`)
  const gatewayDir = resolve(values['gateway-dir'])
  if (!existsSync(resolve(gatewayDir, 'src/server.ts'))) throw new Error(`${gatewayDir} holds no src/server.ts\n${USAGE}`)
  const host = new URL(values['admin-url']).hostname
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error('The bench only talks to 127.0.0.1')
  const int = (text: string, min: number, max: number): number => {
    const n = Number(text)
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`expected an integer in ${min}..${max}, got ${text}\n${USAGE}`)
    return n
  }
  const onEnv: Record<string, string> = {}
  for (const pair of values['on-env']) {
    const at = pair.indexOf('=')
    if (at <= 0) throw new Error(`--on-env takes KEY=VALUE, got ${pair}\n${USAGE}`)
    onEnv[pair.slice(0, at)] = pair.slice(at + 1)
  }
  return {
    store,
    gatewayDir,
    adminUrl: values['admin-url'],
    rounds: int(values.rounds, 1, 9),
    connections: int(values.connections, 1, 256),
    seconds: int(values.seconds, 1, 600),
    warmupSeconds: int(values['warmup-seconds'], 0, 60),
    seedRows: int(values['seed-rows'], 1, 1_000_000),
    onEnv
  }
}
