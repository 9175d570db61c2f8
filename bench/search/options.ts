/** Flags of `npm run bench:search`, checked before anything is created or seeded. */
import { parseArgs } from 'node:util'

export interface SearchBenchOptions {
  readonly patients: number
  readonly seed: number
  /** The population's as-of date: fixed, so every run describes the same data. */
  readonly asOf: string
  /** An already seeded database to measure instead of a fresh one (kept afterwards). */
  readonly reuse: string | undefined
  /** Keep the fresh database after the run (to reuse it later). */
  readonly keep: boolean
  /** Sequential requests per query. */
  readonly requests: number
  /** Clients in the concurrent round (0 skips it). */
  readonly concurrency: number
  /** Walks from page 1 to the deepest page, for the per-depth table. */
  readonly pagingWalks: number
  readonly pagingDepth: number
  readonly adminUrl: string
  /** Where to write the Markdown report as well as printing it. */
  readonly out: string | undefined
  /** Give the gateway the Q7 dashboard tile as a counted search (SEARCH_COUNTED); --no-counted leaves Q7 to SQL. */
  readonly counted: boolean
}

export const SEARCH_BENCH_USAGE = `npm run bench:search -- [--patients 200000] [--seed 1] [--as-of 2026-01-31]
  [--reuse DBNAME] [--keep] [--requests 200] [--concurrency 4] [--paging-walks 10] [--paging-depth 50]
  [--admin-url postgres://postgres@127.0.0.1:5432/postgres] [--out report.md] [--no-counted]
Seeds a synthetic population into a fresh PostgreSQL database on 127.0.0.1:5432 (or measures the
already seeded DBNAME with --reuse), starts the gateway on loopback and times ten representative
searches, paging by depth, baselines, EXPLAIN plans and database size. The gateway counts the Q7
dashboard tile as a counted search (SEARCH_COUNTED) unless --no-counted.`

export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export function parseOptions (argv: readonly string[]): SearchBenchOptions {
  let values
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        patients: { type: 'string' },
        seed: { type: 'string' },
        'as-of': { type: 'string' },
        reuse: { type: 'string' },
        keep: { type: 'boolean' },
        requests: { type: 'string' },
        concurrency: { type: 'string' },
        'paging-walks': { type: 'string' },
        'paging-depth': { type: 'string' },
        'admin-url': { type: 'string' },
        out: { type: 'string' },
        'no-counted': { type: 'boolean' }
      },
      strict: true
    }).values
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const asOf = values['as-of'] ?? '2026-01-31'
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new UsageError('--as-of must be a date such as 2026-01-31')
  // The name goes into CREATE/DROP DATABASE unquoted, so only plain identifiers are accepted.
  if (values.reuse !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(values.reuse)) throw new UsageError('--reuse takes a plain lower-case database name')
  return {
    patients: integer('--patients', values.patients, 200_000, 1, 2_000_000),
    seed: integer('--seed', values.seed, 1, 0, 2 ** 31),
    asOf,
    reuse: values.reuse,
    keep: values.keep ?? false,
    requests: integer('--requests', values.requests, 200, 1, 10_000),
    concurrency: integer('--concurrency', values.concurrency, 4, 0, 32),
    pagingWalks: integer('--paging-walks', values['paging-walks'], 10, 1, 100),
    pagingDepth: integer('--paging-depth', values['paging-depth'], 50, 2, 500),
    adminUrl: values['admin-url'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    out: values.out,
    counted: values['no-counted'] !== true
  }
}

function integer (flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < min || value > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}`)
  return value
}
