/**
 * Storage ceilings: the same single-row INSERTs and primary-key SELECTs the gateway issues, sent
 * straight through the driver by `workers` concurrent loops for a fixed time. Nothing the gateway
 * does per request can beat these, so they are what its create and read are compared with.
 *
 * Two tables:
 *  - bench_raw (id text primary key, content json): the bare shape, the ceiling the targets use;
 *  - bench_raw_gw, a copy of the gateway's `resource` table with all its indexes (LIKE … INCLUDING
 *    ALL), written with the gateway's INSERT of the resource row: what that table's indexes cost.
 *    The search-index rows a create also writes are not replayed (index-footprint.ts counts them).
 */
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import type { CpuMeter } from './cpu.js'
import { storedReferral } from './referral.js'
import { Samples, type Measurement } from './stats.js'

/** The one call a raw loop needs. */
export interface RawDriver {
  query(sql: string, params: unknown[]): Promise<unknown>
  close(): Promise<void>
}

/** node-postgres Pool: the same driver and statement protocol the gateway uses. */
export function openRawPostgres (url: string, poolSize: number): RawDriver {
  const pool = new pg.Pool({ connectionString: url, max: poolSize })
  pool.on('error', () => {})
  return {
    query: async (sql, params) => await pool.query(sql, params),
    close: async () => { await pool.end() }
  }
}

/**
 * An embedded PGlite in this process. The gateway's migration scripts are applied as they are, so
 * bench_raw_gw can copy its `resource` table; nothing of the gateway's code is loaded.
 */
export async function openRawPglite (dataDir: string, migrationsDir: string): Promise<RawDriver> {
  await mkdir(dataDir, { recursive: true })
  const db = new PGlite(dataDir)
  await db.waitReady
  for (const file of (await readdir(migrationsDir)).filter(f => f.endsWith('.sql')).sort()) {
    await db.exec(await readFile(join(migrationsDir, file), 'utf8'))
  }
  return {
    query: async (sql, params) => await db.query(sql, params),
    close: async () => { await db.close() }
  }
}

export const RAW_TABLE = 'bench_raw'
export const RAW_GATEWAY_TABLE = 'bench_raw_gw'

/** Creates both tables and fills each with seedRows referrals; returns bench_raw's ids. */
export async function prepareRawTables (driver: RawDriver, seedRows: number): Promise<string[]> {
  await driver.query(`CREATE TABLE ${RAW_TABLE} (id text PRIMARY KEY, content json NOT NULL)`, [])
  await driver.query(`CREATE TABLE ${RAW_GATEWAY_TABLE} (LIKE resource INCLUDING ALL)`, [])
  const ids: string[] = []
  // Multi-row inserts of 2,000 keep seeding to seconds without one huge statement.
  for (let done = 0; done < seedRows; done += 2000) {
    const batch = Array.from({ length: Math.min(2000, seedRows - done) }, () => randomUUID())
    const contents = batch.map(id => storedReferral(id))
    await driver.query(`INSERT INTO ${RAW_TABLE} (id, content) SELECT * FROM unnest($1::text[], $2::json[])`, [batch, contents])
    await driver.query(
      `INSERT INTO ${RAW_GATEWAY_TABLE} (resource_type, id, version_id, last_updated, deleted, content)
       SELECT 'ServiceRequest', id, 1, now(), false, content FROM unnest($1::text[], $2::json[]) AS t(id, content)`,
      [batch, contents])
    ids.push(...batch)
  }
  await driver.query(`ANALYZE ${RAW_TABLE}`, [])
  await driver.query(`ANALYZE ${RAW_GATEWAY_TABLE}`, [])
  return ids
}

/**
 * Writes out dirty buffers before a phase, so no phase pays for the WAL and dirty pages the one
 * before it left (a checkpoint landing mid-phase would otherwise be charged to whoever was next).
 */
export async function checkpoint (driver: RawDriver): Promise<void> {
  await driver.query('CHECKPOINT', [])
}

export interface LoopSettings {
  readonly workers: number
  readonly warmupSeconds: number
  readonly seconds: number
  /** Measures CPU over the measured window (not the warm-up). */
  readonly cpu?: CpuMeter
}

/** Single-row autocommit INSERTs into bench_raw; new ids are added to `ids` for the SELECTs. */
export async function measureRawInsert (driver: RawDriver, ids: string[], settings: LoopSettings): Promise<Measurement> {
  return await measureLoop(settings, async () => {
    const id = randomUUID()
    await driver.query(`INSERT INTO ${RAW_TABLE} (id, content) VALUES ($1, $2::json)`, [id, storedReferral(id)])
    ids.push(id)
  })
}

/** The resource-row part of the gateway's create statement, against a copy of its table. */
export async function measureRawGatewayInsert (driver: RawDriver, settings: LoopSettings): Promise<Measurement> {
  return await measureLoop(settings, async () => {
    const id = randomUUID()
    await driver.query(
      `INSERT INTO ${RAW_GATEWAY_TABLE} (resource_type, id, version_id, last_updated, deleted, content)
       VALUES ($1, $2, 1, $3, false, $4::json) ON CONFLICT DO NOTHING RETURNING 1`,
      ['ServiceRequest', id, new Date().toISOString(), storedReferral(id)])
  })
}

/** Primary-key SELECTs of random existing rows. */
export async function measureRawSelect (driver: RawDriver, ids: readonly string[], settings: LoopSettings): Promise<Measurement> {
  return await measureLoop(settings, async () => {
    const id = ids[Math.floor(Math.random() * ids.length)]
    await driver.query(`SELECT content::text AS content FROM ${RAW_TABLE} WHERE id = $1`, [id])
  })
}

/** `workers` loops each awaiting one operation at a time: closed-loop, like autocannon's connections. */
async function measureLoop (settings: LoopSettings, operation: () => Promise<void>): Promise<Measurement> {
  if (settings.warmupSeconds > 0) await runLoop(settings.workers, settings.warmupSeconds, operation)
  return await runLoop(settings.workers, settings.seconds, operation, settings.cpu)
}

async function runLoop (workers: number, seconds: number, operation: () => Promise<void>, cpu?: CpuMeter): Promise<Measurement> {
  cpu?.begin()
  const startedAt = performance.now()
  const endAt = startedAt + seconds * 1000
  const samples = new Samples(startedAt)
  await Promise.all(Array.from({ length: workers }, async () => {
    while (performance.now() < endAt) {
      const t0 = performance.now()
      try {
        await operation()
        const t1 = performance.now()
        samples.record(t1 - t0, t1)
      } catch (err) {
        samples.fail((err as Error).message)
      }
    }
  }))
  return samples.summarise((performance.now() - startedAt) / 1000, undefined, cpu?.end())
}
