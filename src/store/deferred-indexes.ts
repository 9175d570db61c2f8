/**
 * Bulk loads into an empty store build their secondary indexes once, at the end. Inserting
 * rows into about thirty btrees as they arrive costs PostgreSQL more than the rows themselves;
 * building each index afterwards is one sort. The dropped definitions are kept in
 * `deferred_index` until rebuilt, so a load that is killed half way loses no index: the next
 * migrate() (every start) builds whatever is still recorded before it applies anything else.
 * Primary keys stay, so ids are unique throughout, and a search during the load is still right,
 * only slower.
 */
import type { Database, Queryable } from './database.js'
import { SEARCH_TABLES } from './search-index.js'

/** The tables whose non-unique indexes a bulk load defers: resources and the search index. */
const DEFERRABLE_TABLES = ['resource', ...SEARCH_TABLES]
/** Arbitrary constant: the advisory-lock key that makes deferral and emptiness one decision. */
const DEFER_LOCK_KEY = 727_005
/** Memory for one index build's sort; two builds at once still fit a small server easily. */
const BUILD_MEMORY = '256MB'

/**
 * Drops the deferrable indexes if the store holds no resources yet, recording them; answers how
 * many. A store that already holds resources keeps its indexes (0).
 */
export async function deferIndexesForBulkLoad (db: Database): Promise<number> {
  return await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [DEFER_LOCK_KEY])
    const { rows: held } = await tx.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM resource) AS any')
    if (held[0]?.any === true) return 0
    const indexes = await deferrableIndexes(tx)
    for (const index of indexes) {
      await tx.query('INSERT INTO deferred_index (name, definition) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [index.name, index.definition])
      await tx.query(`DROP INDEX ${quoteIdentifier(index.name)}`)
    }
    return indexes.length
  })
}

/**
 * Builds every recorded index, `parallel` at a time (PostgreSQL builds indexes of one table side
 * by side), each in its own transaction with its record, so a build is never done twice or lost.
 * Answers how many this call built.
 */
export async function buildDeferredIndexes (db: Database, parallel = 1): Promise<number> {
  let built = 0
  const builder = async (): Promise<void> => {
    for (;;) {
      const done = await db.transaction(async (tx) => {
        const { rows } = await tx.query<{ name: string, definition: string }>(
          'SELECT name, definition FROM deferred_index ORDER BY name LIMIT 1 FOR UPDATE SKIP LOCKED')
        const next = rows[0]
        if (next === undefined) return false
        await tx.query(`SET LOCAL maintenance_work_mem = '${BUILD_MEMORY}'`)
        await tx.query(next.definition)
        await tx.query('DELETE FROM deferred_index WHERE name = $1', [next.name])
        return true
      })
      if (!done) return
      built++
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, builder))
  return built
}

/** Whether indexes are still recorded as deferred (the table exists from migration 010 on). */
export async function hasDeferredIndexes (q: Queryable): Promise<boolean> {
  const { rows: table } = await q.query<{ exists: boolean }>("SELECT to_regclass('deferred_index') IS NOT NULL AS exists")
  if (table[0]?.exists !== true) return false
  const { rows } = await q.query<{ waiting: boolean }>('SELECT EXISTS (SELECT 1 FROM deferred_index) AS waiting')
  return rows[0]?.waiting === true
}

async function deferrableIndexes (q: Queryable): Promise<Array<{ name: string, definition: string }>> {
  const { rows } = await q.query<{ name: string, definition: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = ANY (SELECT to_regclass(t) FROM unnest($1::text[]) AS t) AND NOT i.indisunique AND NOT i.indisprimary
      ORDER BY c.relname`,
    [DEFERRABLE_TABLES])
  return rows
}

function quoteIdentifier (name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
