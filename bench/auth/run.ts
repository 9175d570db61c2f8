/**
 * `npm run bench:auth`: what authentication costs. The foundation's read (GET ServiceRequest/id)
 * and create (POST ServiceRequest) benchmarks, run against the same compiled gateway twice per
 * round: with AUTH_DISABLED=true (no rate limit), and with authentication on (a registered client,
 * one bearer token reused as a real client would for its five minutes, scope checks, the per-client
 * rate limit with a limit too high to trip). Each gets a fresh store seeded alike; both run side by
 * side and every phase is measured on one then the other at once, the order alternating between
 * rounds, so a shared machine's drifting load touches both alike. The ratio
 * auth-on / auth-off of the median throughputs is the figure (target at least 80%).
 * `--on-env KEY=VALUE` adds settings to the auth-on gateway, e.g. audit once it is merged.
 * Talks only to 127.0.0.1; cleans up its children, databases and files however it ends.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { countAuditEvents } from '../audit-catch-up.js'
import { GATEWAY_NODE_ARGS } from '../gateway-node-args.js'
import os from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { RequestParams } from 'autocannon'
import { buildGateway } from '../build-gateway.js'
import { startChild, stopAll, stopChild, type Child } from '../children.js'
import { Cleanup } from '../cleanup.js'
import { createBenchDatabase } from '../database.js'
import { describeRun, loadAverage } from '../environment.js'
import { measureHttp, type HttpPhase } from '../http-load.js'
import { makeReferral } from '../referral.js'
import { seedGateway } from '../seed.js'
import { medianOf, type Measurement } from '../stats.js'
import { authOnEnv, benchBearer, BENCH_BASE_URL, makeBenchClient, type BenchClient } from './client.js'
import { parseAuthBenchOptions, type AuthBenchOptions } from './options.js'

type Mode = 'off' | 'on'
type Phase = 'read' | 'create'

function log (message: string): void {
  process.stderr.write(`[bench:auth ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}

const runCleanup = new Cleanup(log)

/** One gateway on a fresh store, seeded, and the headers its requests carry. */
async function startRun (options: AuthBenchOptions, script: string, mode: Mode, client: BenchClient, dir: string, cleanup: Cleanup): Promise<{ gateway: Child, headers: Record<string, string>, ids: string[] }> {
  let storeEnv: Record<string, string>
  if (options.store === 'postgres') {
    const db = await createBenchDatabase(options.adminUrl)
    cleanup.defer(async () => { await db.drop() })
    storeEnv = { DATABASE_URL: db.url }
  } else {
    storeEnv = { DATA_DIR: join(dir, `data-${randomUUID()}`) }
  }
  const modeEnv: Record<string, string> = mode === 'off'
    ? { AUTH_DISABLED: 'true', RATE_LIMIT_MAX: '0' }
    : { ...authOnEnv(client), ...options.onEnv }
  const gateway = await startChild({
    name: `gateway (auth ${mode})`,
    script,
    nodeArgs: GATEWAY_NODE_ARGS,
    cwd: options.gatewayDir,
    env: { BASE_URL: BENCH_BASE_URL, ...storeEnv, ...modeEnv, LOG_LEVEL: 'silent' },
    readyPath: '/readyz'
  })
  cleanup.defer(async () => { await stopChild(gateway) })
  const origin = `http://127.0.0.1:${gateway.port}`
  let headers: Record<string, string> = {}
  if (mode === 'on') headers = await benchBearer(origin, client)
  const ids = await seedGateway(`${origin}/fhir`, options.seedRows, headers)
  return { gateway, headers, ids }
}

function phases (origin: string, headers: Record<string, string>, ids: readonly string[]): Record<Phase, HttpPhase> {
  const randomId = (): string => ids[Math.floor(Math.random() * ids.length)] ?? randomUUID()
  return {
    read: {
      origin,
      requests: [{
        method: 'GET',
        path: `/fhir/ServiceRequest/${randomId()}`,
        headers: { ...headers, accept: 'application/fhir+json' },
        setupRequest: (request: RequestParams) => ({ ...request, path: `/fhir/ServiceRequest/${randomId()}` })
      }]
    },
    create: {
      origin,
      requests: [{
        method: 'POST',
        path: '/fhir/ServiceRequest',
        headers: { ...headers, 'content-type': 'application/fhir+json', accept: 'application/fhir+json' },
        body: JSON.stringify(makeReferral()),
        setupRequest: (request: RequestParams) => ({ ...request, body: JSON.stringify(makeReferral()) })
      }]
    }
  }
}

async function main (): Promise<void> {
  const options = parseAuthBenchOptions(process.argv.slice(2))
  const major = Number(process.versions.node.split('.')[0])
  if (major !== 22) throw new Error(`Run with the project's Node 22 (export PATH=$PWD/node_modules/.bin:$PATH); this is ${process.version}`)
  const environment = describeRun(options.gatewayDir)
  log(`building the gateway in ${options.gatewayDir}`)
  const script = buildGateway(options.gatewayDir)
  const dir = await mkdtemp(join(os.tmpdir(), 'sp-bench-auth-'))
  runCleanup.defer(async () => { await rm(dir, { recursive: true, force: true }) })
  const client = await makeBenchClient(dir)

  const results: Record<Mode, Record<Phase, Measurement[]>> = { off: { read: [], create: [] }, on: { read: [], create: [] } }
  const loads: number[] = []
  for (let round = 1; round <= options.rounds; round++) {
    const order: Mode[] = round % 2 === 1 ? ['off', 'on'] : ['on', 'off']
    const cleanup = new Cleanup(log)
    try {
      // Both gateways run side by side (the idle one costs nothing once its audit records are
      // AuditEvents), so each phase is measured
      // off and on back to back, under the same load of a shared machine.
      const runs = {} as Record<Mode, Record<Phase, HttpPhase>>
      const catchUps = {} as Record<Mode, () => Promise<void>>
      for (const mode of order) {
        log(`round ${round}/${options.rounds}, auth ${mode}: starting and seeding ${options.seedRows} referrals`)
        const { gateway, headers, ids } = await startRun(options, script, mode, client, dir, cleanup)
        const origin = `http://127.0.0.1:${gateway.port}`
        runs[mode] = phases(origin, headers, ids)
        catchUps[mode] = async () => { await countAuditEvents(origin, headers) }
        await catchUps[mode]()
      }
      const load = { connections: options.connections, warmupSeconds: options.warmupSeconds, seconds: options.seconds }
      for (const key of ['read', 'create'] as const) {
        for (const mode of order) {
          const m = await measureHttp(runs[mode][key], load)
          results[mode][key].push(m)
          log(`  ${key}, auth ${mode}: ${Math.round(m.rps)} req/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms${m.failed > 0 ? `, ${m.failed} failed (${m.firstFailure ?? '?'})` : ''}`)
          // The audit records the phase left become AuditEvents now, before the other gateway is
          // measured: otherwise this one would do that work in the background during its turn.
          await catchUps[mode]()
        }
      }
    } finally {
      await cleanup.run()
    }
    loads.push(loadAverage())
  }
  await runCleanup.run()
  environment.push(`1-minute load average at the end of each round: ${loads.map(l => l.toFixed(2)).join(' / ')}`)
  process.stdout.write(`\n${render(options, environment, results)}\n`)
}

function render (options: AuthBenchOptions, environment: string[], results: Record<Mode, Record<Phase, Measurement[]>>): string {
  const lines = [
    `### Authentication cost (${options.store}, ${options.rounds} rounds × ${options.seconds} s, ${options.connections} connections, ${options.seedRows} seeded referrals)`,
    '',
    ...environment.map(line => `- ${line}`),
    ...(Object.keys(options.onEnv).length > 0 ? [`- auth-on gateway also had: ${Object.entries(options.onEnv).map(([k, v]) => `${k}=${v}`).join(' ')}`] : []),
    '',
    '| phase | auth off req/s (rounds) | auth on req/s (rounds) | on/off | p50 off → on (ms) | p99 off → on (ms) | target |',
    '|---|---|---|---|---|---|---|'
  ]
  for (const key of ['read', 'create'] as const) {
    const off = medianOf(results.off[key])
    const on = medianOf(results.on[key])
    const ratio = on.rps / off.rps
    const rounds = (ms: Measurement[]): string => ms.map(m => Math.round(m.rps)).join(' / ')
    lines.push(`| ${key} | ${Math.round(off.rps)} (${rounds(results.off[key])}) | ${Math.round(on.rps)} (${rounds(results.on[key])}) | ` +
      `${(ratio * 100).toFixed(0)}% | ${off.p50.toFixed(2)} → ${on.p50.toFixed(2)} | ${off.p99.toFixed(2)} → ${on.p99.toFixed(2)} | ` +
      `≥ 80%: ${ratio >= 0.8 ? 'pass' : 'MISS'} |`)
    if (off.failed + on.failed > 0) lines.push(`|  | failures: off ${off.failed}, on ${on.failed} (${on.firstFailure ?? off.firstFailure ?? '?'}) | | | | | |`)
  }
  return lines.join('\n')
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`)
    void runCleanup.run().then(stopAll).finally(() => process.exit(130))
  })
}

try {
  await main()
} catch (err) {
  log(`failed: ${(err as Error).stack ?? String(err)}`)
  await runCleanup.run()
  await stopAll()
  process.exitCode = 1
}
