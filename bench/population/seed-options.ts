/** Flags of `npm run seed`, checked before anything is written. */
import { parseArgs } from 'node:util'
import { DEFAULT_BATCH_SIZE } from './population.js'

export interface SeedOptions {
  readonly patients: number
  readonly seed: number
  readonly batchSize: number
  readonly asOf: Date
  /** Worker threads writing to PostgreSQL; 0 writes from the main thread; undefined lets seed.ts choose. */
  readonly workers: number | undefined
  /** Keep every index while loading an empty store, instead of building them at the end. */
  readonly keepIndexes: boolean
}

export const SEED_USAGE = `npm run seed -- [--patients 1000] [--seed 1] [--batch ${DEFAULT_BATCH_SIZE}] [--as-of 2026-01-31] [--workers N] [--keep-indexes]
Writes a synthetic social prescribing population through the store: PostgreSQL when DATABASE_URL
is set, otherwise embedded PGlite in DATA_DIR (default ./data). The same patients, seed and as-of
date always give the same resources; seeding the same seed twice into one database fails on the ids.
--workers (PostgreSQL only, default one per CPU) validates and indexes batches on several threads;
0 writes from the main thread.
Into an empty store, the secondary indexes are set aside while loading and built once at the end
(one sort each instead of an insert per row); the time reported includes the build.
--keep-indexes maintains them row by row instead.`

export class SeedUsageError extends Error {
  override readonly name = 'SeedUsageError'
}

export function parseSeedOptions (argv: readonly string[], today: Date): SeedOptions {
  let values
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        patients: { type: 'string' },
        seed: { type: 'string' },
        batch: { type: 'string' },
        'as-of': { type: 'string' },
        workers: { type: 'string' },
        'keep-indexes': { type: 'boolean' }
      },
      strict: true
    }).values
  } catch (err) {
    throw new SeedUsageError((err as Error).message)
  }
  const asOf = values['as-of'] === undefined ? startOfUtcDay(today) : new Date(values['as-of'])
  if (Number.isNaN(asOf.getTime())) throw new SeedUsageError('--as-of must be a date such as 2026-01-31')
  return {
    patients: integer('--patients', values.patients, 1000, 0),
    seed: integer('--seed', values.seed, 1, 0),
    batchSize: integer('--batch', values.batch, DEFAULT_BATCH_SIZE, 1),
    asOf,
    workers: values.workers === undefined ? undefined : integer('--workers', values.workers, 0, 0),
    keepIndexes: values['keep-indexes'] === true
  }
}

function integer (flag: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) throw new SeedUsageError(`${flag} must be an integer of at least ${min}`)
  return Number(raw)
}

function startOfUtcDay (date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))
}
