/**
 * Keeps `search_pair` in step with PAIR_INDEXES at start (derived-index-sync.ts): a pair new or
 * changed in code is filled from the ordinary index tables, which hold the same facts pairRows
 * reads.
 */
import type { Database, Queryable } from './database.js'
import { syncDerivedIndexes, type DerivedIndexKind } from './derived-index-sync.js'
import { PAIR_INDEXES, type PairIndex } from './pair-index.js'

const PAIRS: DerivedIndexKind<PairIndex> = {
  table: 'search_pair',
  definitionTable: 'search_pair_def',
  lockKey: 727_006,
  definitionOf: pair => JSON.stringify({ type: pair.type, reference: pair.reference, token: pair.token }),
  fill
}

/** Fills and drops pairs as needed; the names it filled. */
export async function fillPairIndexes (db: Database, pairs: readonly PairIndex[] = PAIR_INDEXES): Promise<string[]> {
  return await syncDerivedIndexes(db, PAIRS, pairs)
}

/** The rows pairRows would write for every resource of the pair's type, from its index rows. */
async function fill (tx: Queryable, pair: PairIndex): Promise<void> {
  await tx.query(`
    INSERT INTO search_pair (resource_type, resource_id, name, target_type, target_id, system, value)
    SELECT $1, x.resource_id, $2, x.target_type, x.target_id, t.system, t.value
    FROM search_reference x
    JOIN search_token t ON t.resource_type = $1 AND t.resource_id = x.resource_id AND t.code = $4
    WHERE x.resource_type = $1 AND x.code = $3 AND x.target_id IS NOT NULL`,
  [pair.type, pair.name, pair.reference, pair.token])
}
