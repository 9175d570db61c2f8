/**
 * The conditional interactions' usual search, one exact token on one type (`identifier=
 * https://fhir.nhs.uk/Id/nhs-number|…`, an ODS code, an SDS id), looked up by a statement whose
 * text never changes: the searches travel as arrays, so the statement is prepared once per
 * connection. The general search statement is new text for every combination of searches, and
 * PostgreSQL spent longer planning it (about 1 ms for a GP referral's four) than running it.
 */
import type { SearchQuery } from '../fhir/search/query.js'
import type { Queryable } from './database.js'
import { LIVE_VERSION_COLUMNS, liveVersionOf, type LiveVersionRow, type StoredVersion } from './resources.js'

/** One token value with its system, on one type, under the one code its parameter is stored as. */
export interface ExactToken {
  readonly type: string
  readonly code: string
  readonly system: string
  readonly value: string
}

/** The search as an exact token lookup, or undefined when it is anything more (or less). */
export function exactTokenOf (query: SearchQuery): ExactToken | undefined {
  const [type, ...otherTypes] = query.types
  const [condition, ...others] = query.conditions
  if (type === undefined || otherTypes.length > 0 || others.length > 0 || condition?.kind !== 'token' || condition.modifier !== 'none') return undefined
  const [token, ...moreValues] = condition.values
  const { storedAs, storedAsByType } = condition.param
  const [code, ...moreCodes] = storedAs
  if (token === undefined || moreValues.length > 0 || storedAsByType !== undefined || code === undefined || moreCodes.length > 0) return undefined
  if (typeof token.system !== 'string' || token.code === undefined) return undefined
  return { type, code, system: token.system, value: token.code }
}

const EXACT_TOKEN_MATCHES = `SELECT k.n AS search, m.*
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS k(type, code, system, value, n)
  CROSS JOIN LATERAL (
    SELECT ${LIVE_VERSION_COLUMNS} FROM resource r
    WHERE r.resource_type = k.type AND NOT r.deleted AND r.id IN (
      SELECT t.resource_id FROM search_token t
      WHERE t.resource_type = k.type AND t.code = k.code AND t.value = k.value AND t.system = k.system)
    LIMIT $5) m`

/** Up to `limit` live matches of each lookup, in one prepared statement. */
export async function exactTokenMatches (q: Queryable, lookups: readonly ExactToken[], limit: number): Promise<StoredVersion[][]> {
  const found: StoredVersion[][] = lookups.map(() => [])
  if (lookups.length === 0) return found
  const { rows } = await q.query<LiveVersionRow & { search: string | number }>(EXACT_TOKEN_MATCHES, [
    lookups.map(l => l.type), lookups.map(l => l.code), lookups.map(l => l.system), lookups.map(l => l.value), limit
  ], { prepare: true })
  // WITH ORDINALITY counts from 1 (a bigint, which the driver hands over as text).
  for (const row of rows) found[Number(row.search) - 1]?.push(liveVersionOf(row))
  return found
}
