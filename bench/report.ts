/**
 * Turns the measurements into the report, as markdown (readable in a terminal and pasteable into
 * docs/benchmarks.md): the results with ratios to their ceilings, CPU cost per request, the
 * create's drift by time slice, memory, and the pass/fail targets.
 */
import type { BenchOptions } from './options.js'
import type { PhaseKey } from './phases.js'
import { median, type Measurement } from './stats.js'
import type { CatchUpMeasurement } from './audit-catch-up.js'

export interface PhaseResult {
  readonly label: string
  readonly rounds: readonly Measurement[]
  readonly median: Measurement
}

/** VmHWM of the gateway's server process per stage (reset between stages when `staged`), in MB. */
export interface MemoryReport {
  readonly staged: boolean
  readonly startupPeakMB: number
  readonly seedPeakMB: number
  readonly loadPeakMB: number
  readonly endRssMB: number
}

/** The gateway phases whose audit records are turned into AuditEvents right after them. */
export type CaughtUpPhase = 'read' | 'create'

export interface Report {
  readonly options: BenchOptions
  readonly environment: readonly string[]
  readonly phases: Readonly<Record<PhaseKey, PhaseResult>>
  readonly memory: MemoryReport
  readonly rowsAtEnd: number | undefined
  readonly catchUps: Readonly<Record<CaughtUpPhase, readonly CatchUpMeasurement[]>>
}

export interface Target {
  readonly name: string
  readonly measured: string
  readonly threshold: string
  readonly pass: boolean
}

const RSS_LIMIT_MB = 300

/** Which ceiling each phase is compared with, and whether with the bare route too. */
const CEILINGS: Record<PhaseKey, { readonly ceiling?: PhaseKey, readonly againstBare: boolean }> = {
  bare: { againstBare: false },
  rawSelect: { againstBare: false },
  read: { ceiling: 'rawSelect', againstBare: true },
  rawInsert: { againstBare: false },
  rawGatewayInsert: { ceiling: 'rawInsert', againstBare: false },
  create: { ceiling: 'rawInsert', againstBare: true }
}
const PHASES = Object.keys(CEILINGS) as PhaseKey[]

/** The process's peak over its whole life: the largest stage peak. */
export function lifetimePeak (memory: MemoryReport): number {
  return Math.max(memory.startupPeakMB, memory.seedPeakMB, memory.loadPeakMB)
}

export function targets (report: Report): Target[] {
  const { phases, memory } = report
  const createRatio = phases.create.median.rps / phases.rawInsert.median.rps
  const readRatio = phases.read.median.rps / phases.rawSelect.median.rps
  const peak = lifetimePeak(memory)
  return [
    { name: 'gateway create ≥ 25% of raw INSERT', measured: pct(createRatio), threshold: '25%', pass: createRatio >= 0.25 },
    { name: 'gateway read ≥ 50% of raw PK SELECT', measured: pct(readRatio), threshold: '50%', pass: readRatio >= 0.5 },
    { name: `gateway peak RSS < ${RSS_LIMIT_MB} MB (whole life, start-up included)`, measured: mb(peak), threshold: `${RSS_LIMIT_MB} MB`, pass: peak < RSS_LIMIT_MB }
  ]
}

export function renderMarkdown (report: Report): string {
  const { options } = report
  return [
    `Store: **${options.store}**, ${options.connections} connections / workers, ${options.rounds} interleaved rounds ` +
      `(median shown), ${options.warmupSeconds} s warm-up before each measurement, ${options.seconds} s per phase, ` +
      `${options.createSeconds} s for the gateway create; each round starts from a fresh store holding ` +
      `${options.seedRows.toLocaleString('en-GB')} referrals (gateway and each raw table), with a CHECKPOINT before every phase.`,
    report.environment.map(line => `- ${line}`).join('\n'),
    resultsTable(report),
    cpuCostTable(report),
    driftTable(report),
    catchUpTable(report),
    memoryNote(report),
    targetsTable(report)
  ].join('\n\n')
}

function resultsTable ({ phases }: Report): string {
  const rows = PHASES.map(key => {
    const phase = phases[key]
    const m = phase.median
    const { ceiling, againstBare } = CEILINGS[key]
    const vsCeiling = ceiling === undefined ? '—' : `${pct(m.rps / phases[ceiling].median.rps)} of ${phases[ceiling].label}`
    const vsBare = againstBare ? pct(m.rps / phases.bare.median.rps) : '—'
    const label = m.failed > 0 ? `${phase.label} (**${m.failed} failed**: ${m.firstFailure ?? '?'})` : phase.label
    const cpu = m.cpu === undefined
      ? '—'
      : [m.cpu.server, m.cpu.bench, m.cpu.database, m.cpu.other].map(c => c === undefined ? '—' : c.toFixed(2)).join(' / ')
    return `| ${label} | ${num(m.rps)} | ${ms(m.p50)} | ${ms(m.p99)} | ${phase.rounds.map(r => num(r.rps)).join(' / ')} | ${vsCeiling} | ${vsBare} | ${cpu} |`
  })
  return [
    '| Phase | req/s | p50 ms | p99 ms | req/s per round | vs its ceiling | vs bare route | CPU cores: server / bench / db / other |',
    '|---|---:|---:|---:|---|---:|---:|---:|',
    ...rows,
    '',
    'CPU cores over each measured window (median of rounds): *server* is the process answering HTTP (bare server or ' +
      'gateway), *bench* this process (autocannon, or the raw driver loops), *db* PostgreSQL working for the bench, *other* ' +
      'the rest of the machine\'s busy time — other users\' work on a shared box shows there.'
  ].join('\n')
}

/**
 * The audit records a phase left (its warm-up's and measured requests'), turned into AuditEvents
 * right after it, and the phase's rate had that deferred work been done within the phase.
 */
function catchUpTable ({ phases, catchUps }: Report): string {
  const rows = (['read', 'create'] as const).map(key => {
    const runs = catchUps[key]
    if (runs.length === 0) return `| ${phases[key].label} | — | — | — | — | — | — |`
    const during = median(runs.map(r => r.duringPhase))
    const records = median(runs.map(r => r.records))
    const seconds = median(runs.map(r => r.seconds))
    const perRecord = (pick: (r: CatchUpMeasurement) => number | undefined): string => {
      const values = runs.flatMap(r => { const v = pick(r); return v === undefined || r.records === 0 ? [] : [v / r.records * 1e6] })
      return values.length === 0 ? '—' : Math.round(median(values)).toString()
    }
    const ceiling = CEILINGS[key].ceiling
    // Every request of the phase (warm-up included) left a record: the time to serve them all
    // is (during + waiting) / rate, and the waiting ones then took `seconds` more.
    const rate = phases[key].median.rps
    const all = during + records
    const sustained = all === 0 ? rate : all / (all / rate + seconds)
    const vsCeiling = ceiling === undefined ? '' : ` (${pct(sustained / phases[ceiling].median.rps)} of ${phases[ceiling].label})`
    return `| ${phases[key].label} | ${num(during)} | ${num(records)} | ${seconds.toFixed(2)} | ${num(seconds === 0 ? 0 : records / seconds)} | ${perRecord(r => r.serverCpuSeconds)} / ${perRecord(r => r.databaseCpuSeconds)} | ${num(sustained)}${vsCeiling} |`
  })
  return [
    '| After phase | records turned during the phase | records waiting at its end | seconds to turn them | records/s | CPU µs per record: server / db | phase req/s with this work counted in |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    'Each request leaves an audit record; records become searchable AuditEvents in bulk (while the gateway is idle, while 20,000 or ' +
      'more wait, and before any AuditEvent search). Right after each gateway phase the bench asks for the AuditEvent count, which ' +
      'turns the waiting ones first; the last column spreads that work over the phase\'s requests.'
  ].join('\n')
}

function cpuCostTable ({ phases, options }: Report): string {
  const perRequest = (phase: PhaseResult, pick: (r: Measurement) => number | undefined): string => {
    const values = phase.rounds.map(r => pick(r)).filter((v): v is number => v !== undefined && Number.isFinite(v))
    return values.length === 0 ? '—' : Math.round(median(values)).toLocaleString('en-GB')
  }
  const rows = PHASES.map(key => {
    const phase = phases[key]
    const server = perRequest(phase, r => r.cpu?.server === undefined ? undefined : r.cpu.server / r.rps * 1e6)
    const bench = perRequest(phase, r => r.cpu === undefined ? undefined : r.cpu.bench / r.rps * 1e6)
    const db = options.store === 'postgres' ? perRequest(phase, r => r.cpu === undefined ? undefined : r.cpu.database / r.rps * 1e6) : '—'
    return `| ${phase.label} | ${server} | ${bench} | ${db} |`
  })
  return [
    'CPU time per request in µs (median of rounds): what one operation costs each party, whatever the throughput.',
    '',
    '| Phase | server | bench | db |',
    '|---|---:|---:|---:|',
    ...rows
  ].join('\n')
}

function driftTable ({ phases, options }: Report): string {
  const rows = phases.create.median.slices.map((slice, i) => {
    const perRound = phases.create.rounds.map(r => num(r.slices[i]?.rps ?? Number.NaN)).join(' / ')
    return `| ${slice.fromSecond}–${slice.fromSecond + options.sliceSeconds} s | ${num(slice.rps)} | ${ms(slice.p50)} | ${ms(slice.p99)} | ${perRound} |`
  })
  return [
    `Gateway create drift, per ${options.sliceSeconds}-s slice of each ${options.createSeconds}-s run (median across rounds, then each round):`,
    '',
    '| Slice | req/s | p50 ms | p99 ms | req/s per round |',
    '|---|---:|---:|---:|---|',
    ...rows
  ].join('\n')
}

function memoryNote ({ memory, rowsAtEnd, options }: Report): string {
  const text = memory.staged
    ? `Gateway memory (server process, /proc VmHWM reset between stages, worst round): start-up peak ${mb(memory.startupPeakMB)}, ` +
      `seeding peak ${mb(memory.seedPeakMB)}, peak during the measured phases ${mb(memory.loadPeakMB)}; ` +
      `**${mb(lifetimePeak(memory))} peak over its life**, ${mb(memory.endRssMB)} resident at the end.`
    : `Gateway memory (server process, /proc VmHWM, cumulative, worst round): ${mb(memory.startupPeakMB)} after start-up, ` +
      `${mb(memory.seedPeakMB)} after seeding, **${mb(lifetimePeak(memory))} peak over its life**, ${mb(memory.endRssMB)} resident at the end.`
  if (rowsAtEnd === undefined) return text
  return `${text}\n\nServiceRequest rows in the gateway at the end of a round: up to ${rowsAtEnd.toLocaleString('en-GB')} ` +
    `(from ${options.seedRows.toLocaleString('en-GB')} at its start).`
}

function targetsTable (report: Report): string {
  return [
    '| Target | Measured | Threshold | Result |',
    '|---|---:|---:|---|',
    ...targets(report).map(t => `| ${t.name} | ${t.measured} | ${t.threshold} | ${t.pass ? 'PASS' : '**FAIL**'} |`)
  ].join('\n')
}

function mb (n: number): string {
  return Number.isFinite(n) ? `${n.toFixed(0)} MB` : '—'
}

function num (n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-GB') : '—'
}

function ms (n: number): string {
  if (!Number.isFinite(n)) return '—'
  return n < 10 ? n.toFixed(2) : n.toFixed(1)
}

function pct (ratio: number): string {
  return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(0)}%` : '—'
}
