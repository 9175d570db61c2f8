/**
 * What every round starts from: a fresh store holding exactly `seedRows` referrals (in the gateway
 * and in each raw table), a freshly started gateway, and its memory sampler. Starting each round
 * afresh keeps rounds comparable: otherwise the creates of round 1 (hundreds of thousands of rows)
 * would make round 3 measure a different table.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { GATEWAY_NODE_ARGS } from './gateway-node-args.js'
import os from 'node:os'
import { join } from 'node:path'
import { startChild, stopChild, type Child } from './children.js'
import type { Cleanup } from './cleanup.js'
import { createBenchDatabase, durabilitySettings } from './database.js'
import type { BenchOptions } from './options.js'
import { searchIndexFootprint, type IndexFootprint } from './index-footprint.js'
import { readMemory, resetPeak, sampleMemory, type MemorySampler } from './peak-rss.js'
import { openRawPglite, openRawPostgres, prepareRawTables, type RawDriver } from './raw-store.js'
import { seedGateway } from './seed.js'

export interface Round {
  readonly gateway: Child
  readonly raw: RawDriver
  /** Ids in bench_raw (grows with the raw INSERTs). */
  readonly rawIds: string[]
  /** Ids the gateway holds from seeding, for the reads. */
  readonly seededIds: readonly string[]
  readonly memory: MemorySampler
  /** VmHWM at the end of start-up and of seeding; the peak is reset after each when `staged`. */
  readonly startupPeakMB: number
  readonly seedPeakMB: number
  readonly staged: boolean
  /** The PostgreSQL database of this round (undefined with PGlite), to attribute its CPU. */
  readonly databaseName: string | undefined
  /** One line about the store, for the report. */
  readonly storeNote: string
  /** What a create writes besides its row (PostgreSQL only: PGlite lives inside the gateway). */
  readonly footprint: IndexFootprint | undefined
  /** Gateway ServiceRequest rows now (PostgreSQL only: PGlite lives inside the gateway). */
  gatewayRows(): Promise<number | undefined>
}

/** `gatewayScript` is the compiled gateway (buildGateway). */
export async function setUpRound (options: BenchOptions, gatewayScript: string, cleanup: Cleanup, log: (message: string) => void): Promise<Round> {
  let gatewayEnv: Record<string, string>
  let openRaw: () => Promise<RawDriver>
  let storeNote: string
  let databaseName: string | undefined
  if (options.store === 'postgres') {
    const db = await createBenchDatabase(options.adminUrl)
    cleanup.defer(async () => { log(`dropping database ${db.name}`); await db.drop() })
    log(`created database ${db.name}`)
    databaseName = db.name
    const s = await durabilitySettings(db.url)
    storeNote = `PostgreSQL ${s.server_version ?? '?'} on 127.0.0.1: fsync=${s.fsync}, synchronous_commit=${s.synchronous_commit}, ` +
      `wal_sync_method=${s.wal_sync_method}, shared_buffers=${s.shared_buffers}, max_wal_size=${s.max_wal_size}, ` +
      `autovacuum=${s.autovacuum}; a fresh database per round, dropped afterwards`
    gatewayEnv = { DATABASE_URL: db.url }
    openRaw = async () => openRawPostgres(db.url, options.connections)
  } else {
    const dir = await mkdtemp(join(os.tmpdir(), 'sp-bench-'))
    cleanup.defer(async () => { await rm(dir, { recursive: true, force: true }) })
    storeNote = 'PGlite on disk in a fresh temporary folder per round (removed afterwards); the raw ceilings use a second PGlite inside the bench process'
    gatewayEnv = { DATA_DIR: join(dir, 'gateway') }
    openRaw = async () => await openRawPglite(join(dir, 'raw'), join(options.gatewayDir, 'src/store/migrations'))
  }

  log('starting the gateway')
  const gateway = await startChild({
    name: 'gateway',
    script: gatewayScript,
    nodeArgs: GATEWAY_NODE_ARGS,
    cwd: options.gatewayDir,
    // The foundation bench measures the store and the REST core; bench/auth/run.ts measures auth.
    env: { ...gatewayEnv, LOG_LEVEL: 'silent', AUTH_DISABLED: 'true', RATE_LIMIT_MAX: '0' },
    readyPath: '/readyz'
  })
  cleanup.defer(async () => { await stopChild(gateway) })
  const memory = sampleMemory(gateway.serverPid)
  cleanup.defer(async () => { memory.stop() })
  // Peaks per stage: start-up (definitions loading), seeding, then the measured phases.
  const startupPeakMB = readMemory(gateway.serverPid)?.peakMB ?? Number.NaN
  let staged = resetPeak(gateway.serverPid)

  log(`seeding the gateway with ${options.seedRows} ServiceRequests (transaction Bundles)`)
  const started = Date.now()
  const seededIds = await seedGateway(`http://127.0.0.1:${gateway.port}/fhir`, options.seedRows)
  log(`  seeded ${seededIds.length} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  const seedPeakMB = readMemory(gateway.serverPid)?.peakMB ?? Number.NaN
  staged = resetPeak(gateway.serverPid) && staged

  const raw = await openRaw()
  cleanup.defer(async () => { await raw.close() })
  log(`seeding the raw tables with ${options.seedRows} rows each`)
  const rawIds = await prepareRawTables(raw, options.seedRows)
  const footprint = options.store === 'postgres' ? await searchIndexFootprint(raw) : undefined

  return {
    gateway,
    raw,
    rawIds,
    seededIds,
    memory,
    startupPeakMB,
    seedPeakMB,
    staged,
    databaseName,
    storeNote,
    footprint,
    gatewayRows: async () => {
      if (options.store !== 'postgres') return undefined
      const result = await raw.query("SELECT count(*) AS n FROM resource WHERE resource_type = 'ServiceRequest'", []) as { rows: Array<{ n: string }> }
      return Number(result.rows[0]?.n)
    }
  }
}
