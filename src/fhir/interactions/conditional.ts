/**
 * Resolving a search for the conditional interactions
 * (https://hl7.org/fhir/R4/http.html#ccreate, #cond-update, transaction conditional references).
 * When the search finds nothing, identical concurrent conditional requests serialise on an
 * advisory lock keyed by the search, held until the transaction commits, and search again under
 * it, so twenty identical conditional creates leave one resource. When it finds a match no lock
 * is taken: nothing is to be created, and the common case (the GP practice or the patient named
 * by every inbound referral, which exist already) must not queue every transaction behind one.
 */
import type { Queryable } from '../../store/database.js'
import { lockKey, type StoredVersion } from '../../store/resources.js'
import { searchPage } from '../../store/search-sql.js'
import { GatewayError } from '../../errors.js'
import { parseSearch } from '../search/parse.js'
import { expandValueSets } from '../search/value-set-expansion.js'
import type { FhirContext } from './context.js'
import type { RequestContext } from './request-context.js'
import { accessOf } from '../../auth/access-policy.js'

/**
 * Finds at most two matches (enough to tell none, one and several), locking the search when there
 * are none. A restricted caller matches only what it may see, so a match never reveals a hidden
 * resource.
 */
export async function findConditionalMatches (ctx: FhirContext, tx: Queryable, type: string, query: string, request?: RequestContext): Promise<StoredVersion[]> {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query)
  params.sort()
  const parsed = parseSearch([type], params, { registry: ctx.search.registry, defaultCount: 2, maxCount: 2, lenient: false, fhirBaseUrl: ctx.search.fhirBaseUrl })
  if (parsed.conditions.length === 0) {
    throw new GatewayError('invalid', 'A conditional interaction needs at least one search parameter that selects resources')
  }
  const reach = request === undefined ? undefined : accessOf(request.caller)?.reach
  const valueSets = await expandValueSets(tx, parsed.conditions)
  const search = async (): Promise<StoredVersion[]> => (await searchPage(tx, { ...parsed, count: 2, sort: [] }, valueSets, undefined, reach)).matches
  const existing = await search()
  if (existing.length > 0) return existing
  await lockKey(tx, `conditional:${type}?${params.toString()}`)
  // Each statement sees what committed before it: a transaction that held the lock and created
  // the match has committed by the time the lock is ours.
  return await search()
}

export function exactlyOne (matches: StoredVersion[], what: string): StoredVersion | undefined {
  if (matches.length > 1) {
    throw new GatewayError('precondition-failed', `${what} matched more than one resource`)
  }
  return matches[0]
}
