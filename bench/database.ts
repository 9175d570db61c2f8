/**
 * A fresh PostgreSQL database per run, so every run starts from the same empty state and leaves
 * nothing behind. The name carries the pid and time so concurrent or crashed runs cannot collide.
 */
import pg from 'pg'

export interface BenchDatabase {
  readonly name: string
  readonly url: string
  drop(): Promise<void>
}

export async function createBenchDatabase (adminUrl: string): Promise<BenchDatabase> {
  const name = `bench_${process.pid}_${Date.now().toString(36)}`
  await withClient(adminUrl, async client => { await client.query(`CREATE DATABASE ${name}`) })
  return databaseHandle(adminUrl, name)
}

/** The URL of database `name` on the admin URL's server, and a drop that runs at most once. */
export function databaseHandle (adminUrl: string, name: string): BenchDatabase {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  let dropped = false
  return {
    name,
    url: url.toString(),
    drop: async () => {
      if (dropped) return
      dropped = true
      // FORCE ends any session still connected (PostgreSQL 13+).
      await withClient(adminUrl, async client => { await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) })
    }
  }
}

export async function withClient<T> (url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** PostgreSQL settings that decide what "durable" costs, for the report. */
export async function durabilitySettings (url: string): Promise<Record<string, string>> {
  return await withClient(url, async client => {
    const { rows } = await client.query<{ name: string, setting: string }>(
      `SELECT name, current_setting(name) AS setting FROM pg_settings
       WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'shared_buffers', 'server_version', 'max_wal_size', 'autovacuum')`)
    return Object.fromEntries(rows.map(r => [r.name, r.setting]))
  })
}
