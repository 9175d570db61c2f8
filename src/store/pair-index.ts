/**
 * Pair index entries: a reference and a token of one resource together, for searches that name
 * both and need both to be selective (bench:search Q2: one provider's open Tasks). Derived from
 * the resource's ordinary index rows, so a pair never disagrees with the parameters it combines.
 */
import type { IndexRows } from './index-rows.js'

export interface PairIndex {
  readonly name: string
  readonly type: string
  /** Search parameter codes: a reference and a token. */
  readonly reference: string
  readonly token: string
}

/** The pairs this server keeps. Adding one here fills it from the index tables at start. */
export const PAIR_INDEXES: readonly PairIndex[] = [
  { name: 'Task.owner-status', type: 'Task', reference: 'owner', token: 'status' }
]

export interface PairRow {
  readonly name: string
  readonly targetType: string | null
  readonly targetId: string
  readonly system: string | null
  readonly value: string | null
}

/**
 * The pair rows of a resource of `type`: every reference to a resource by id × every token.
 * A reference held only as a URL is searched by URL, never through a pair, so it makes no row.
 */
export function pairRows (type: string, rows: IndexRows, pairs: readonly PairIndex[] = PAIR_INDEXES): PairRow[] {
  const out: PairRow[] = []
  for (const pair of pairs) {
    if (pair.type !== type) continue
    const tokens = rows.token.filter(t => t.code === pair.token)
    for (const reference of rows.reference) {
      if (reference.code !== pair.reference || reference.targetId === null) continue
      for (const token of tokens) {
        out.push({ name: pair.name, targetType: reference.targetType, targetId: reference.targetId, system: token.system, value: token.value })
      }
    }
  }
  return out
}
