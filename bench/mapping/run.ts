/**
 * `npm run bench:mapping`: (a) pack-1 payloads per second for map + validate in-process, on one
 * core; (b) end-to-end `POST /inbound/gp-referral-json` on PostgreSQL as a ratio of plain
 * `POST /fhir/ServiceRequest` in the same run, interleaved by round on one gateway, as
 * production runs it (`node dist/server.js`); also against posting the Bundle pack 1 maps the
 * same kind of payload to as a plain FHIR transaction (`POST /fhir`), which stores the same
 * resources, so the ratio to it is what the inbound path (schema, mapping, Provenance, receipt)
 * adds. Progress to stderr, the report (markdown) to stdout.
 * Options: --seconds (10), --rounds (3), --connections (16), --admin-url, --in-process-only.
 */
import { randomBytes } from 'node:crypto'
import { GATEWAY_NODE_ARGS } from '../gateway-node-args.js'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { RequestParams } from 'autocannon'
import { loadConfig } from '../../src/config.js'
import { createFhirContext } from '../../src/fhir/fhir-context.js'
import { readConformanceFiles } from '../../src/fhir/validation/conformance-files.js'
import { profilesFrom } from '../../src/fhir/validation/profiles.js'
import { searchParametersFrom } from '../../src/fhir/validation/search-parameters.js'
import { loadMappings } from '../../src/mapping/load-mappings.js'
import type { LoadedMapping } from '../../src/mapping/registry.js'
import { runMapping } from '../../src/mapping/run-mapping.js'
import type { FhirContext } from '../../src/fhir/interactions/context.js'
import { buildGateway } from '../build-gateway.js'
import { CpuMeter } from '../cpu.js'
import { startChild, stopAll, stopChild } from '../children.js'
import { createBenchDatabase, withClient } from '../database.js'
import { measureHttp, type HttpPhase } from '../http-load.js'
import { makeReferral } from '../referral.js'
import { median, type Measurement } from '../stats.js'
import { measureInProcess, type Throughput } from './in-process.js'
import { gpReferralPayload } from './payloads.js'

function log (message: string): void {
  process.stderr.write(`[bench:mapping ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}

function option (name: string, fallback: string): string {
  const arg = process.argv.find(a => a.startsWith(`--${name}=`))
  return arg === undefined ? fallback : arg.slice(name.length + 3)
}


async function loadPack1 (): Promise<{ mapping: LoadedMapping, ctx: FhirContext }> {
  const config = loadConfig({ PROFILES_DIR: './profiles', MAPPINGS_DIR: './mappings' })
  const files = await readConformanceFiles(config.profilesDir)
  const conformance = files.map(f => f.resource)
  const ctx = createFhirContext({ profiles: profilesFrom(files), searchParameters: searchParametersFrom(files), conformance, unknownProfile: 'reject', fhirBaseUrl: 'http://localhost/fhir', searchDefaultCount: 20, searchMaxCount: 1000 })
  const registry = await loadMappings(config.mappingsDir, { terminology: ctx.terminology })
  const mapping = registry.get('gp-referral-json')
  if (mapping === undefined) throw new Error('no gp-referral-json mapping')
  return { mapping, ctx }
}

async function inProcess ({ mapping, ctx }: { mapping: LoadedMapping, ctx: FhirContext }, seconds: number): Promise<Throughput[]> {
  const results: Throughput[] = []
  for (const validate of [false, true]) {
    log(`in-process: ${validate ? 'map + validate' : 'map only'} for ${seconds} s`)
    results.push(measureInProcess(mapping, ctx, seconds, validate))
    const r = results.at(-1)
    log(`  ${Math.round(r?.perSecond ?? 0)} payloads/s (median 1-s slice; whole window ${Math.round(r?.overall ?? 0)})`)
  }
  return results
}

type PhaseName = 'create' | 'transaction' | 'inbound'
type Phases = Record<PhaseName, Measurement[]>

/** Resources (AuditEvents aside, made later in bulk) and referrals stored so far. */
async function storedCounts (url: string): Promise<{ resources: number, referrals: number }> {
  return await withClient(url, async client => {
    const { rows } = await client.query<{ resources: string, referrals: string }>(
      `SELECT count(*) FILTER (WHERE resource_type <> 'AuditEvent') AS resources,
              count(*) FILTER (WHERE resource_type = 'ServiceRequest') AS referrals FROM resource`)
    return { resources: Number(rows[0]?.resources), referrals: Number(rows[0]?.referrals) }
  })
}

/**
 * Transaction Bundles mapped from fresh payloads before a phase, so the bench's own mapping does
 * not compete with the gateway for the two cores while it is measured; made on the fly if used up.
 */
function mappedBundles (mapping: LoadedMapping, count: number): () => string {
  const map = (): string => JSON.stringify(runMapping(mapping, gpReferralPayload()))
  const pool = Array.from({ length: count }, map)
  return () => pool.pop() ?? map()
}

/**
 * Each phase's requests store exactly one ServiceRequest each, so the resources stored per request
 * are the phase's new resources over its new referrals, counted in the database (an inbound
 * referral's practice, clinician and service already exist after the first, so it stores fewer
 * than its Bundle has entries).
 */
async function endToEnd (mapping: LoadedMapping, seconds: number, rounds: number, connections: number, adminUrl: string): Promise<{ phases: Phases, storedPerRequest: Record<PhaseName, number> }> {
  const gatewayDir = fileURLToPath(new URL('../..', import.meta.url))
  log('building the gateway')
  const script = buildGateway(gatewayDir)
  const db = await createBenchDatabase(adminUrl)
  const results: Phases = { create: [], transaction: [], inbound: [] }
  const stored = { create: { resources: 0, referrals: 0 }, transaction: { resources: 0, referrals: 0 }, inbound: { resources: 0, referrals: 0 } }
  try {
    log(`starting the gateway on database ${db.name}`)
    const gateway = await startChild({
      name: 'gateway',
      script,
      nodeArgs: GATEWAY_NODE_ARGS,
      cwd: gatewayDir,
      // Authentication off and no rate limit, as in the foundation bench: both phases pay the
      // same per-request costs, so the ratio is the mapping's (bench:auth measures auth's).
      env: { DATABASE_URL: db.url, LOG_LEVEL: 'silent', DEAD_LETTER_KEY: randomBytes(32).toString('hex'), AUTH_DISABLED: 'true', RATE_LIMIT_MAX: '0' },
      readyPath: '/healthz'
    })
    try {
      const origin = `http://127.0.0.1:${gateway.port}`
      // CPU per request (gateway, PostgreSQL) tells a gap in the gateway from one in the database.
      const load = { connections, warmupSeconds: 3, seconds, cpu: new CpuMeter(gateway.serverPid, db.name) }
      // Each request of a phase is a POST of a fresh body.
      const posts = (path: string, headers: Record<string, string>, nextBody: () => string): HttpPhase => ({
        origin,
        requests: [{ method: 'POST', path, headers, body: nextBody(), setupRequest: (request: RequestParams) => ({ ...request, body: nextBody() }) }]
      })
      let nextBundle = mappedBundles(mapping, 0)
      const phases: Record<PhaseName, HttpPhase> = {
        create: posts('/fhir/ServiceRequest', { 'content-type': 'application/fhir+json' }, () => JSON.stringify(makeReferral())),
        transaction: posts('/fhir', { 'content-type': 'application/fhir+json' }, () => nextBundle()),
        inbound: posts('/inbound/gp-referral-json', { 'content-type': 'application/json', 'x-sender': 'bench' }, () => JSON.stringify(gpReferralPayload()))
      }
      for (let round = 1; round <= rounds; round++) {
        for (const key of ['create', 'transaction', 'inbound'] as const) {
          if (key === 'transaction') nextBundle = mappedBundles(mapping, (seconds + 3) * 400)
          log(`round ${round}/${rounds}: ${key}`)
          const before = await storedCounts(db.url)
          const m = await measureHttp(phases[key], load)
          const after = await storedCounts(db.url)
          stored[key].resources += after.resources - before.resources
          stored[key].referrals += after.referrals - before.referrals
          results[key].push(m)
          log(`  ${Math.round(m.rps)} req/s, p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, CPU µs per request ${cpuPerRequest(m)}${m.failed > 0 ? `, ${m.failed} failed (${m.firstFailure ?? '?'})` : ''}`)
          // A rate of failures is not a result: stop rather than print a meaningless ratio.
          if (m.failed > 0) throw new Error(`${key}: ${m.failed} requests failed (${m.firstFailure ?? '?'}); no figures reported`)
        }
      }
    } finally {
      await stopChild(gateway)
    }
  } finally {
    await db.drop()
  }
  const perRequest = (key: PhaseName): number => stored[key].resources / stored[key].referrals
  return { phases: results, storedPerRequest: { create: perRequest('create'), transaction: perRequest('transaction'), inbound: perRequest('inbound') } }
}

/** Gateway / bench / PostgreSQL CPU per answered request, in µs. */
function cpuPerRequest (m: Measurement): string {
  const cpu = m.cpu
  if (cpu === undefined || m.rps === 0) return '—'
  return [cpu.server, cpu.bench, cpu.database].map(cores => cores === undefined ? '—' : Math.round(cores / m.rps * 1e6).toLocaleString('en-GB')).join(' / ')
}

const medianMeasurement = (ms: Measurement[]): Measurement => [...ms].sort((a, b) => a.rps - b.rps)[Math.floor((ms.length - 1) / 2)] as Measurement

async function main (): Promise<void> {
  const major = Number(process.versions.node.split('.')[0])
  if (major !== 22) throw new Error(`Run with the project's Node 22 (export PATH=$PWD/node_modules/.bin:$PATH); this is ${process.version}`)
  const seconds = Number(option('seconds', '10'))
  const rounds = Number(option('rounds', '3'))
  const connections = Number(option('connections', '16'))
  const adminUrl = option('admin-url', process.env.BENCH_ADMIN_URL ?? 'postgres://root@127.0.0.1:5432/postgres')

  const lines: string[] = []
  const pack1 = await loadPack1()
  const mapped = await inProcess(pack1, seconds)
  lines.push('### Pack 1 in-process (one core)', '', '| Work | Payloads/s (median 1-s slice) | Whole window | Slices, slowest–fastest | Target |', '|---|---:|---:|---:|---:|')
  for (const r of mapped) lines.push(`| ${r.label} | ${Math.round(r.perSecond)} | ${Math.round(r.overall)} | ${Math.round(r.slowest)}–${Math.round(r.fastest)} | ${r.label === 'map + validate' ? `≥2,000 (${r.perSecond >= 2000 ? 'pass' : 'miss'})` : ''} |`)

  if (!process.argv.includes('--in-process-only')) {
    const { phases: e2e, storedPerRequest } = await endToEnd(pack1.mapping, seconds, rounds, connections, adminUrl)
    const rate = (key: PhaseName): number => median(e2e[key].map(m => m.rps))
    const labels: Record<PhaseName, string> = {
      create: 'plain create (POST /fhir/ServiceRequest)',
      transaction: 'the same kind of referral as a FHIR transaction (POST /fhir, the Bundle pack 1 maps a fresh payload to)',
      inbound: 'inbound (POST /inbound/gp-referral-json, with receipt and Provenance)'
    }
    lines.push('', `### End to end on PostgreSQL (${rounds} interleaved rounds of ${seconds} s, ${connections} connections, medians)`, '',
      '| Phase | Requests/s | Resources stored per request | Resources stored/s | p50 ms | p99 ms | Failed | CPU µs per request: gateway / bench / PostgreSQL (median round) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|')
    for (const key of ['create', 'transaction', 'inbound'] as const) {
      const ms = e2e[key]
      lines.push(`| ${labels[key]} | ${Math.round(rate(key))} | ${storedPerRequest[key].toFixed(1)} | ${Math.round(rate(key) * storedPerRequest[key])} | ${median(ms.map(m => m.p50)).toFixed(1)} | ${median(ms.map(m => m.p99)).toFixed(1)} | ${ms.reduce((sum, m) => sum + m.failed, 0)} | ${cpuPerRequest(medianMeasurement(ms))} |`)
    }
    const ratio = rate('inbound') / rate('create')
    const perResource = rate('inbound') * storedPerRequest.inbound / (rate('create') * storedPerRequest.create)
    lines.push('', `Inbound / plain create: **${(ratio * 100).toFixed(0)}%** (target ≥50%: ${ratio >= 0.5 ? 'pass' : 'miss'}); per resource stored: ${(perResource * 100).toFixed(0)}%.`,
      '', `Inbound / the same Bundle posted as a FHIR transaction: **${(rate('inbound') / rate('transaction') * 100).toFixed(0)}%** (what schema check, mapping, Provenance and receipt add to storing the same resources).`)
  }
  lines.push('', `Machine: ${cpus().length} cores, load average ${loadavg().map(l => l.toFixed(2)).join(' ')} at the end; node ${process.version}.`)
  process.stdout.write(lines.join('\n') + '\n')
}

main().then(async () => { await stopAll() }, async (err: unknown) => {
  log(`failed: ${(err as Error).stack ?? String(err)}`)
  await stopAll()
  process.exitCode = 1
})
