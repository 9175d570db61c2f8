/**
 * The search interaction end to end: parse, expand value sets, fetch the page, count, follow
 * _include/_revinclude, trim with _summary/_elements, and build the searchset Bundle with opaque
 * paging links. https://hl7.org/fhir/R4/search.html
 */
import type { Bundle, BundleEntry, BundleLink, OperationOutcome, Resource } from '@medplum/fhirtypes'
import type { Queryable } from '../../store/database.js'
import type { StoredVersion } from '../../store/resources.js'
import { referencedBy, referencing, type ResourceKey } from '../../store/search-include.js'
import { countMatches, searchPage } from '../../store/search-sql.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import { parseSearch } from './parse.js'
import { project, type ElementCatalogue, type Projection } from './projection.js'
import type { IncludeSpec, SearchQuery } from './query.js'
import type { SearchRegistry } from './registry.js'
import { expandValueSets } from './value-set-expansion.js'
import type { Caller } from '../../auth/caller.js'
import { accessOf, type Access } from '../../auth/access-policy.js'
import { deidentify, refuseIdentifyingSearch } from '../../auth/deidentify.js'

export interface SearchSettings {
  readonly registry: SearchRegistry
  readonly elements: ElementCatalogue
  readonly fhirBaseUrl: string
  readonly defaultCount: number
  readonly maxCount: number
  /** Bundle.total when the search names no _total (on every page). */
  readonly defaultTotal: 'none' | 'estimate' | 'accurate'
}

export interface SearchRequest {
  readonly types: readonly string[]
  readonly params: URLSearchParams
  /** Absolute URL of the search endpoint, without query. */
  readonly endpoint: string
  readonly lenient: boolean
  /** Who asks: a restricted caller's matches, counts and includes stay within its reach. */
  readonly caller?: Caller
}

/** Rounds of _include:iterate / _revinclude:iterate before stopping (cycles end sooner). */
const MAX_ITERATIONS = 4

export async function executeSearch (q: Queryable, settings: SearchSettings, request: SearchRequest): Promise<Bundle> {
  const query = parseSearch(request.types, request.params, {
    registry: settings.registry, defaultCount: settings.defaultCount, maxCount: settings.maxCount, lenient: request.lenient, fhirBaseUrl: settings.fhirBaseUrl
  })
  const access = request.caller === undefined ? undefined : accessOf(request.caller)
  if (access?.deidentify === true) refuseIdentifyingSearch(query)
  const reach = access?.reach
  const valueSets = await expandValueSets(q, query.conditions)
  const outcome = ignoredOutcome(query)
  if (query.summary === 'count' || query.count === 0) {
    // A count is what these ask for: accurate unless _total says otherwise.
    const total = query.total === 'none' ? undefined : await countMatches(q, query, valueSets, query.total === 'estimate', reach)
    return bundle(query, request, settings, [], outcome, total, [])
  }
  const position = query.cursor === undefined ? undefined : decodeCursor(query.cursor, query.params)
  const page = await searchPage(q, query, valueSets, position, reach)
  const totalMode = query.total ?? settings.defaultTotal
  const total = totalMode === 'none' ? undefined : await countMatches(q, query, valueSets, totalMode === 'estimate', reach)
  const included = await includes(q, query, page.matches, settings, access)
  const links: BundleLink[] = []
  // The total is counted for the page that asked; paging links leave _total out, so walking a
  // large result does not recount every match on every page.
  if (page.previous !== undefined) links.push({ relation: 'previous', url: pageUrl(request, query, encodeCursor(page.previous, query.params), true) })
  if (page.next !== undefined) links.push({ relation: 'next', url: pageUrl(request, query, encodeCursor(page.next, query.params), true) })
  const projection = projectionOf(query)
  const withheld = access?.deidentify === true
  const matchEntries = page.matches.map(version => entry(version, 'match', settings, projection, withheld))
  const includeEntries = included.map(version => entry(version, 'include', settings, undefined, withheld))
  return bundle(query, request, settings, [...matchEntries, ...includeEntries], outcome, total, links)
}

function bundle (
  query: SearchQuery, request: SearchRequest, settings: SearchSettings, entries: BundleEntry[],
  outcome: OperationOutcome | undefined, total: number | undefined, extraLinks: BundleLink[]
): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(total === undefined ? {} : { total }),
    link: [
      { relation: 'self', url: pageUrl(request, query, query.cursor) },
      { relation: 'first', url: pageUrl(request, query, undefined) },
      ...extraLinks
    ],
    entry: [
      ...entries,
      ...(outcome === undefined ? [] : [{ fullUrl: `urn:uuid:${crypto.randomUUID()}`, resource: outcome, search: { mode: 'outcome' as const } }])
    ]
  }
}

function entry (version: StoredVersion, mode: 'match' | 'include', settings: SearchSettings, projection: Projection | undefined, withheld: boolean): BundleEntry {
  const parsed = JSON.parse(version.json as string) as Resource
  const resource = withheld ? deidentify(parsed) : parsed
  return {
    fullUrl: `${settings.fhirBaseUrl}/${version.resourceType}/${version.id}`,
    resource: projection === undefined ? resource : project(resource, projection, settings.elements),
    search: { mode }
  }
}

function projectionOf (query: SearchQuery): Projection | undefined {
  if (query.elements !== undefined) return { kind: 'elements', names: query.elements }
  if (query.summary === 'true') return { kind: 'summary' }
  if (query.summary === 'text' || query.summary === 'data') return { kind: query.summary }
  return undefined
}

function pageUrl (request: SearchRequest, query: SearchQuery, cursor: string | undefined, withoutTotal = false): string {
  const params = new URLSearchParams(query.params)
  if (withoutTotal) params.delete('_total')
  if (cursor !== undefined) params.set('_cursor', cursor)
  const text = params.toString()
  return text === '' ? request.endpoint : `${request.endpoint}?${text}`
}

function ignoredOutcome (query: SearchQuery): OperationOutcome | undefined {
  if (query.ignored.length === 0) return undefined
  return {
    resourceType: 'OperationOutcome',
    issue: query.ignored.map(({ name, reason }) => ({ severity: 'warning', code: 'not-supported', details: { text: `Ignored: ${reason}` }, expression: [name] }))
  }
}

/** _include and _revinclude; :iterate specs also run over what earlier rounds included. */
async function includes (q: Queryable, query: SearchQuery, matches: readonly StoredVersion[], settings: SearchSettings, access: Access | undefined): Promise<StoredVersion[]> {
  if (query.include.length === 0 && query.revinclude.length === 0) return []
  const seen = new Set(matches.map(keyOf))
  const found: StoredVersion[] = []
  let frontier: readonly StoredVersion[] = matches
  for (let round = 0; round <= MAX_ITERATIONS && frontier.length > 0; round++) {
    const specs = (list: readonly IncludeSpec[]): IncludeSpec[] => list.filter(spec => round === 0 || spec.iterate)
    const added: StoredVersion[] = []
    for (const spec of specs(query.include)) {
      const ids = frontier.filter(v => v.resourceType === spec.sourceType).map(v => v.id)
      // A restricted caller includes only targets within its reach, of the types the references may name.
      const within = access === undefined ? undefined : { reach: access.reach, targetTypes: targetTypesOf(settings, spec) }
      added.push(...await referencedBy(q, spec.sourceType, ids, storageCodes(settings, spec), spec.targetType, within))
    }
    for (const spec of specs(query.revinclude)) {
      const targets: ResourceKey[] = frontier.map(v => ({ type: v.resourceType, id: v.id }))
      added.push(...await referencing(q, spec.sourceType, storageCodes(settings, spec), targets, access?.reach))
    }
    const fresh = added.filter(v => !seen.has(keyOf(v)) && seen.add(keyOf(v)) !== undefined)
    found.push(...fresh)
    frontier = fresh
  }
  return found
}

/** The codes the spec's references are indexed under (shared-storage.ts). */
function storageCodes (settings: SearchSettings, spec: IncludeSpec): string[] {
  return [...new Set(spec.codes.flatMap(code => settings.registry.get(spec.sourceType, code)?.storedAs ?? [code]))]
}

function targetTypesOf (settings: SearchSettings, spec: IncludeSpec): string[] {
  return [...new Set(spec.codes.flatMap(code => settings.registry.get(spec.sourceType, code)?.targets ?? []))]
}

function keyOf (version: StoredVersion): string {
  return `${version.resourceType}/${version.id}`
}
