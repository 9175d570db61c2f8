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
import { matchesOfEach, searchPage } from '../../store/search-sql.js'
import { exactTokenMatches, exactTokenOf, type ExactToken } from '../../store/exact-token-matches.js'
import { GatewayError } from '../../errors.js'
import { parseSearch } from '../search/parse.js'
import { expandValueSets, type Expansion } from '../search/value-set-expansion.js'
import type { SearchQuery } from '../search/query.js'
import type { FhirContext } from './context.js'
import type { RequestContext } from './request-context.js'
import { accessOf } from '../../auth/access-policy.js'

/** A conditional interaction's search, parsed: checked before anything is looked up. */
export interface ConditionalSearch {
  /** The advisory-lock key: the type and its sorted query, so equal searches share it. */
  readonly key: string
  readonly search: SearchQuery
}

/**
 * Finds at most two matches (enough to tell none, one and several), locking the search when there
 * are none. A restricted caller matches only what it may see, so a match never reveals a hidden
 * resource.
 */
export async function findConditionalMatches (ctx: FhirContext, tx: Queryable, type: string, query: string, request?: RequestContext): Promise<StoredVersion[]> {
  return (await findConditionalMatchesOfEach(ctx, tx, [parseConditionalSearch(ctx, type, query)], request))[0] ?? []
}

/** Parses the search of a conditional interaction on `type` (`query` with or without its `?`). */
export function parseConditionalSearch (ctx: FhirContext, type: string, query: string): ConditionalSearch {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query)
  params.sort()
  const parsed = parseSearch([type], params, { registry: ctx.search.registry, defaultCount: 2, maxCount: 2, lenient: false, fhirBaseUrl: ctx.search.fhirBaseUrl })
  if (parsed.conditions.length === 0) {
    throw new GatewayError('invalid', 'A conditional interaction needs at least one search parameter that selects resources')
  }
  return { key: `conditional:${type}?${params.toString()}`, search: { ...parsed, count: 2, sort: [] } }
}

/**
 * findConditionalMatches for several searches (a transaction's If-None-Exist and conditional
 * updates): the first look at all of them is one statement, then each that found nothing is
 * locked and searched again on its own.
 */
export async function findConditionalMatchesOfEach (ctx: FhirContext, tx: Queryable, searches: readonly ConditionalSearch[], request?: RequestContext): Promise<StoredVersion[][]> {
  const reach = request === undefined ? undefined : accessOf(request.caller)?.reach
  // Exact identifier lookups (nearly every conditional create) take the prepared statement; a
  // restricted caller's reach is part of the search, so its lookups take the general one.
  const exact = reach === undefined ? exactTokensOf(searches) : undefined
  const valueSets = new Map<string, Expansion>()
  if (exact === undefined) {
    for (const { search } of searches) {
      for (const [url, expansion] of await expandValueSets(tx, search.conditions)) valueSets.set(url, expansion)
    }
  }
  const found = exact === undefined
    ? await matchesOfEach(tx, searches.map(s => s.search), valueSets, 2, reach)
    : await exactTokenMatches(tx, exact, 2)
  for (const [i, { key, search }] of searches.entries()) {
    if ((found[i] ?? []).length > 0) continue
    await lockKey(tx, key)
    // Each statement sees what committed before it: a transaction that held the lock and created
    // the match has committed by the time the lock is ours.
    const lookup = exact?.[i]
    found[i] = lookup === undefined
      ? (await searchPage(tx, search, valueSets, undefined, reach)).matches
      : (await exactTokenMatches(tx, [lookup], 2))[0] ?? []
  }
  return found
}

/** Every search as an exact token lookup, or undefined if any is more than that. */
function exactTokensOf (searches: readonly ConditionalSearch[]): ExactToken[] | undefined {
  const lookups: ExactToken[] = []
  for (const { search } of searches) {
    const lookup = exactTokenOf(search)
    if (lookup === undefined) return undefined
    lookups.push(lookup)
  }
  return lookups
}

export function exactlyOne (matches: StoredVersion[], what: string): StoredVersion | undefined {
  if (matches.length > 1) {
    throw new GatewayError('precondition-failed', `${what} matched more than one resource`)
  }
  return matches[0]
}
