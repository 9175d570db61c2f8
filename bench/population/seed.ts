/**
 * npm run seed -- --patients N: writes a synthetic population through the store's bulk create,
 * one transaction per batch. On PostgreSQL, worker threads validate and index batches on every
 * core while others are being inserted; on PGlite one thread owns the embedded database.
 */
import { availableParallelism } from 'node:os'
import { loadConfig } from '../../src/config.js'
import { openStoreWriter, type BatchWriter } from './batch-writer.js'
import { generatePopulation } from './population.js'
import { parseSeedOptions, SEED_USAGE, SeedUsageError, type SeedOptions } from './seed-options.js'
import { progressLine, summary } from './seed-report.js'
import { createTally, type Tally } from './tally.js'
import { openWorkerPool } from './worker-pool.js'

const PROGRESS_EVERY_MS = 5000

async function main (): Promise<void> {
  const options = parseSeedOptions(process.argv.slice(2), new Date())
  const config = loadConfig()
  const workers = options.workers ?? (config.store.kind === 'postgres' ? availableParallelism() : 0)
  if (workers > 0 && config.store.kind !== 'postgres') throw new SeedUsageError('--workers needs PostgreSQL (DATABASE_URL); PGlite is written from one thread')
  const writer = workers > 0 ? await openWorkerPool(workers, config.store) : await openStoreWriter(config)
  try {
    console.log(`seeding ${options.patients} patients (seed ${options.seed}, as of ${options.asOf.toISOString().slice(0, 10)}) into ${writer.store}` +
      (workers > 0 ? ` with ${workers} worker threads` : ''))
    await seed(writer, options)
  } finally {
    await writer.close()
  }
}

async function seed (writer: BatchWriter, options: SeedOptions): Promise<void> {
  const tally = createTally(options.asOf)
  const started = performance.now()
  const deferred = options.keepIndexes ? 0 : await writer.deferIndexes()
  let loaded = started
  try {
    await load(writer, options, tally, started)
    loaded = performance.now()
  } finally {
    // Built even when loading failed: the store must not be left without them.
    if (deferred > 0) await writer.buildIndexes()
  }
  const finished = performance.now()
  if (deferred > 0) {
    console.log(`indexes: ${deferred} set aside while loading the empty store (${((loaded - started) / 1000).toFixed(1)} s), ` +
      `built at the end (${((finished - loaded) / 1000).toFixed(1)} s); the time below includes both`)
  }
  console.log(summary(tally.proportions(), (finished - started) / 1000))
}

/** Generates the population and writes it, a few batches in flight. */
async function load (writer: BatchWriter, options: SeedOptions, tally: Tally, started: number): Promise<void> {
  let lastProgress = started
  let written = 0
  let failure: unknown
  const inFlight = new Set<Promise<void>>()
  for (const batch of generatePopulation({ patients: options.patients, seed: options.seed, batchSize: options.batchSize, asOf: options.asOf })) {
    tally.add(batch)
    const tracked: Promise<void> = writer.write(batch)
      .then(count => { written += count }, (err: unknown) => { failure ??= err })
      .finally(() => { inFlight.delete(tracked) })
    inFlight.add(tracked)
    if (inFlight.size >= writer.concurrency) await Promise.race(inFlight)
    if (failure !== undefined) break
    const now = performance.now()
    if (now - lastProgress >= PROGRESS_EVERY_MS) {
      console.log(progressLine(written, options.patients, (now - started) / 1000))
      lastProgress = now
    }
  }
  await Promise.all(inFlight)
  if (failure !== undefined) throw failure
}

try {
  await main()
} catch (err) {
  if (err instanceof SeedUsageError) {
    console.error(`${err.message}\n\n${SEED_USAGE}`)
    process.exitCode = 2
  } else {
    console.error(err instanceof Error ? err.message : err)
    process.exitCode = 1
  }
}
