/**
 * Keeps `search_compound` in step with COMPOUND_INDEXES at start (derived-index-sync.ts): a
 * compound new or changed in code is filled from the ordinary index tables, which hold the same
 * facts compoundRows reads.
 */
import { COMPOUND_INDEXES, DAY_MS, type CompoundIndex } from './compound-index.js'
import type { Database, Queryable } from './database.js'
import { syncDerivedIndexes, type DerivedIndexKind } from './derived-index-sync.js'

const COMPOUNDS: DerivedIndexKind<CompoundIndex> = {
  table: 'search_compound',
  definitionTable: 'search_compound_def',
  lockKey: 727_004,
  definitionOf: compound => JSON.stringify({ type: compound.type, token: compound.token, date: compound.date, quantity: compound.quantity ?? null }),
  fill
}

/** Fills and drops compounds as needed; the names it filled. */
export async function fillCompoundIndexes (db: Database, compounds: readonly CompoundIndex[] = COMPOUND_INDEXES): Promise<string[]> {
  return await syncDerivedIndexes(db, COMPOUNDS, compounds)
}

/**
 * The rows compoundRows would write for every resource of the compound's type, from its index
 * rows: one date row makes token × distinct quantity value rows (a resource without quantity
 * rows gets one without), several make one marker row. A point is decided as in compoundRows.
 */
async function fill (tx: Queryable, compound: CompoundIndex): Promise<void> {
  const params = [compound.type, compound.name, compound.date, compound.token, compound.quantity ?? null, `${DAY_MS / 1000} seconds`]
  await tx.query(`
    WITH dates AS (
      SELECT resource_id, count(*) AS n, min(low) AS low, max(high) AS high
      FROM search_date WHERE resource_type = $1 AND code = $3 GROUP BY resource_id
    ), single AS (
      SELECT resource_id, low, high, CASE
        WHEN low < '0001-01-01T00:00:00Z' OR high >= '10000-01-01T00:00:00Z' THEN false
        ELSE high >= low AND high - low <= $6::interval
      END AS point
      FROM dates WHERE n = 1
    )
    INSERT INTO search_compound (resource_type, resource_id, name, single, point, system, value, d_low, d_high, q_low, q_high)
    SELECT $1, d.resource_id, $2, true, d.point, t.system, t.value, d.low, d.high, q.low, q.high
    FROM single d
    JOIN search_token t ON t.resource_type = $1 AND t.resource_id = d.resource_id AND t.code = $4
    LEFT JOIN LATERAL (
      SELECT DISTINCT low, high FROM search_quantity WHERE resource_type = $1 AND resource_id = d.resource_id AND code = $5
    ) q ON true
    UNION ALL
    SELECT $1, resource_id, $2, false, false, NULL, NULL, NULL, NULL, NULL, NULL
    FROM dates WHERE n > 1`, params)
}
