/**
 * How much disk the population takes: the whole database, each table with its indexes, and the
 * size per million resources, so the figure scales to other population sizes.
 */
import type pg from 'pg'

export interface TableSize {
  readonly table: string
  readonly rows: number
  readonly tableBytes: number
  readonly indexBytes: number
}

export interface DatabaseSize {
  readonly bytes: number
  readonly resources: number
  readonly bytesPerMillion: number
  readonly tables: readonly TableSize[]
}

export async function measureSize (client: pg.Client): Promise<DatabaseSize> {
  const { rows: [db] } = await client.query<{ bytes: string, resources: string }>(
    'SELECT pg_database_size(current_database()) AS bytes, (SELECT count(*) FROM resource) AS resources')
  // reltuples is the estimate ANALYZE left: exact counts of the index tables would take seconds.
  const { rows } = await client.query<{ table: string, rows: string, table_bytes: string, index_bytes: string }>(
    `SELECT c.relname AS table, c.reltuples::bigint AS rows,
            pg_table_size(c.oid) AS table_bytes, pg_indexes_size(c.oid) AS index_bytes
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r'
     ORDER BY pg_total_relation_size(c.oid) DESC`)
  const bytes = Number(db?.bytes ?? 0)
  const resources = Number(db?.resources ?? 0)
  return {
    bytes,
    resources,
    bytesPerMillion: resources === 0 ? Number.NaN : bytes / (resources / 1e6),
    tables: rows.map(r => ({ table: r.table, rows: Number(r.rows), tableBytes: Number(r.table_bytes), indexBytes: Number(r.index_bytes) }))
  }
}

export async function resourceCounts (client: pg.Client): Promise<Record<string, number>> {
  const { rows } = await client.query<{ resource_type: string, n: string }>(
    'SELECT resource_type, count(*) AS n FROM resource GROUP BY resource_type ORDER BY count(*) DESC')
  return Object.fromEntries(rows.map(r => [r.resource_type, Number(r.n)]))
}
