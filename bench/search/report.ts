/**
 * The run as Markdown, ready to paste into docs/benchmarks.md: per-query latency against the
 * 30 ms target, paging by depth, baselines, size, seeding rate, and the plan lines that show
 * which indexes each query uses. Counts and timings only: no resource content is printed.
 */
import type { Baselines } from './baseline.js'
import { abbreviate, type ExplainedStatement } from './explain.js'
import type { QueryResult } from './measure.js'
import type { PagingResult } from './paging.js'
import type { SeedResult } from './seed.js'
import type { DatabaseSize } from './size.js'
import type { LatencySummary } from './stats.js'

export const P95_TARGET_MS = 30
export const SEED_TARGET_PER_SECOND = 5000
export const REPORTED_DEPTHS = [1, 2, 10, 25, 50]

export interface RunReport {
  readonly command: string
  readonly environment: readonly string[]
  readonly database: string
  readonly seed: SeedResult | undefined
  readonly counts: Record<string, number>
  readonly baselines: Baselines
  readonly queries: readonly QueryResult[]
  readonly concurrency: number
  readonly requests: number
  readonly paging: readonly PagingResult[]
  readonly size: DatabaseSize
  readonly plans: ReadonlyArray<{ readonly id: string, readonly path: string, readonly statements: readonly ExplainedStatement[] }>
}

export function renderReport (r: RunReport): string {
  return [
    '### Run', '', `\`${r.command}\``, '', ...r.environment.map(line => `- ${line}`), `- database: ${r.database}`, '',
    ...seedSection(r.seed, r.counts),
    '### Baselines (same run)', '',
    '| floor | p50 ms | p95 ms | max ms |', '|---|---:|---:|---:|',
    `| bare primary-key SELECT through pg | ${cells(r.baselines.primaryKeySelect)} |`,
    `| gateway GET /fhir/Patient/{id} | ${cells(r.baselines.readById)} |`, '',
    ...querySection(r.queries, r.concurrency, r.requests),
    ...pagingSection(r.paging),
    ...sizeSection(r.size),
    '### Plans (abbreviated: plan nodes with actual rows and time, and their index conditions)', '',
    ...r.plans.flatMap(p => [
      `**${p.id}** \`${p.path}\``, '', '```',
      ...p.statements.filter(s => s.role !== 'other').flatMap(s => [`-- ${s.role}`, ...abbreviate(s.plan)]),
      '```', ''
    ])
  ].join('\n')
}

/** The full plans and the SQL they explain, for the log rather than the docs. */
export function renderFullPlans (plans: RunReport['plans']): string {
  return plans.flatMap(p => [
    `==== ${p.id} ${p.path}`,
    ...p.statements.flatMap(s => [`---- ${s.role}`, s.sql, '', ...s.plan, ''])
  ]).join('\n')
}

function seedSection (seed: SeedResult | undefined, counts: Record<string, number>): string[] {
  const total = Object.values(counts).reduce((a, b) => a + b, 0)
  const byType = Object.entries(counts).map(([type, n]) => `${type} ${n}`).join(', ')
  const lines = ['### Population', '', `${total} resources: ${byType}.`, '']
  if (seed === undefined) return [...lines, 'Seeding: not measured in this run (--reuse of a database seeded earlier).', '']
  const verdict = seed.rate >= SEED_TARGET_PER_SECOND ? 'meets' : 'misses'
  return [...lines,
    `Seeding: ${seed.resources} resources in ${seed.seconds.toFixed(1)} s = **${seed.rate} resources/s** (${verdict} the ${SEED_TARGET_PER_SECOND}/s target); ` +
    `1-minute load average ${seed.loadBefore.toFixed(2)} before, ${seed.meanLoad.toFixed(2)} on average while seeding.`, '']
}

function querySection (queries: readonly QueryResult[], concurrency: number, requests: number): string[] {
  const concurrent = concurrency > 1
  const head = `| query | n | p50 ms | p95 ms | max ms |${concurrent ? ` p50 / p95 ms at ${concurrency} clients |` : ''} total (median [min–max]) | entries per page | p95 < ${P95_TARGET_MS} ms |`
  const rule = `|---|---:|---:|---:|---:|${concurrent ? '---:|' : ''}---:|---:|:---:|`
  return [
    `### Queries (n sequential requests each, at most ${requests} or 60 s; keep-alive; client-side latency)`, '', head, rule,
    ...queries.map(q => {
      const t = q.totals
      const total = Number.isNaN(t.median) ? '—' : t.min === t.max ? `${t.median}` : `${t.median} [${t.min}–${t.max}]`
      const c = q.concurrent === undefined ? '' : ` ${ms(q.concurrent.p50)} / ${ms(q.concurrent.p95)} |`
      return `| ${q.query.id} ${q.query.title} | ${q.sequential.n} | ${cells(q.sequential)} |${c} ${total} | ${q.entries} | ${q.sequential.p95 < P95_TARGET_MS ? 'pass' : '**fail**'} |`
    }), ''
  ]
}

function pagingSection (paging: readonly PagingResult[]): string[] {
  return paging.flatMap(p => [
    `### Paging by depth: \`${p.path}\` (total ${p.total ?? 'not given'}, ${p.byDepth[0]?.n ?? 0} walks)`, '',
    '| page | p50 ms | p95 ms | max ms |', '|---:|---:|---:|---:|',
    ...REPORTED_DEPTHS.filter(d => d <= p.byDepth.length).map(d => `| ${d} | ${cells(p.byDepth[d - 1] as LatencySummary)} |`), ''
  ])
}

function sizeSection (size: DatabaseSize): string[] {
  const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0)
  return [
    '### Database size', '',
    `pg_database_size ${mb(size.bytes)} MiB for ${size.resources} resources = **${(size.bytesPerMillion / 2 ** 30).toFixed(2)} GiB per million resources**.`, '',
    '| table | rows (estimate) | table MiB | indexes MiB |', '|---|---:|---:|---:|',
    ...size.tables.map(t => `| ${t.table} | ${t.rows} | ${mb(t.tableBytes)} | ${mb(t.indexBytes)} |`), ''
  ]
}

function cells (s: LatencySummary): string {
  return `${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.max)}`
}

function ms (value: number): string {
  return value.toFixed(1)
}
