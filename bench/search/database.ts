/**
 * The database measured: a fresh one per run (named by pid and time so runs cannot collide), or
 * an already seeded one given with --reuse, since seeding 200,000 patients takes many minutes.
 */
import { databaseHandle, withClient } from '../database.js'

export interface MeasuredDatabase {
  readonly name: string
  readonly url: string
  /** True when this run created it (and so seeds it, and drops it unless kept). */
  readonly fresh: boolean
  drop(): Promise<void>
}

export async function openMeasuredDatabase (adminUrl: string, reuse: string | undefined): Promise<MeasuredDatabase> {
  assertLoopback(adminUrl)
  const name = reuse ?? `sp_search_${process.pid}_${Date.now().toString(36)}`
  if (reuse === undefined) await withClient(adminUrl, async c => { await c.query(`CREATE DATABASE ${name}`) })
  else {
    const { rows } = await withClient(adminUrl, async c => await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]))
    if (rows.length === 0) throw new Error(`--reuse ${name}: no such database`)
  }
  return { ...databaseHandle(adminUrl, name), fresh: reuse === undefined }
}

/** The bench only ever talks to a database on this machine. */
function assertLoopback (url: string): void {
  const host = new URL(url).hostname
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) throw new Error(`--admin-url must point at loopback, not ${host}`)
}
