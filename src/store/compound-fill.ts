/**
 * Keeps `search_compound` in step with COMPOUND_INDEXES at start: a compound new or changed in
 * code is filled from the ordinary index tables (which hold the same facts compoundRows reads),
 * and one no longer in code is dropped. Writes wait while a compound is filled, so no resource is
 * written between the fill and the first write that keeps the compound itself.
 */
import { COMPOUND_INDEXES, DAY_MS, type CompoundIndex } from './compound-index.js'
import type { Database, Queryable } from './database.js'

/** Arbitrary constant: the advisory-lock key reserved for filling compound indexes. */
const COMPOUND_LOCK_KEY = 727_004

/** Fills and drops compounds as needed; the names it filled. */
export async function fillCompoundIndexes (db: Database, compounds: readonly CompoundIndex[] = COMPOUND_INDEXES): Promise<string[]> {
  const wanted = new Map(compounds.map(c => [c.name, definitionOf(c)]))
  return await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [COMPOUND_LOCK_KEY])
    const { rows } = await tx.query<{ name: string, definition: string }>('SELECT name, definition FROM search_compound_def')
    const current = new Map(rows.map(r => [r.name, r.definition]))
    const stale = [...current.keys()].filter(name => wanted.get(name) !== current.get(name))
    const fresh = compounds.filter(c => current.get(c.name) !== wanted.get(c.name))
    if (stale.length === 0 && fresh.length === 0) return []
    // Writers wait until the rows are in place; readers do not.
    await tx.query('LOCK TABLE resource IN SHARE MODE')
    const dropped = [...new Set([...stale, ...fresh.map(c => c.name)])]
    await tx.query('DELETE FROM search_compound WHERE name = ANY($1::text[])', [dropped])
    await tx.query('DELETE FROM search_compound_def WHERE name = ANY($1::text[])', [dropped])
    for (const compound of fresh) {
      await fill(tx, compound)
      await tx.query('INSERT INTO search_compound_def (name, definition) VALUES ($1, $2)', [compound.name, wanted.get(compound.name)])
    }
    // Rows added to a live index one by one split its pages: on 560,000 Observations the filled
    // index was a third larger than one built whole, and its scans as much slower. Rebuilt whole.
    if (fresh.length > 0) await tx.query('REINDEX TABLE search_compound')
    return fresh.map(c => c.name)
  })
}

function definitionOf (compound: CompoundIndex): string {
  return JSON.stringify({ type: compound.type, token: compound.token, date: compound.date, quantity: compound.quantity ?? null })
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
