/**
 * The reads the journey rules make, inside the writing transaction: one resource by reference,
 * and the resources a search selects (through the same search code as the API).
 */
import type { Reference, Resource } from '@medplum/fhirtypes'
import type { Queryable } from '../store/database.js'
import { readCurrent } from '../store/resources.js'
import { searchPage } from '../store/search-sql.js'
import type { FhirContext } from '../fhir/interactions/context.js'
import { parseSearch } from '../fhir/search/parse.js'
import { expandValueSets } from '../fhir/search/value-set-expansion.js'

/** Type and id of a relative (or own-base absolute) literal reference; undefined otherwise. */
export function localTarget (ctx: FhirContext, reference: Reference | undefined): { type: string, id: string } | undefined {
  let text = reference?.reference
  if (text === undefined) return undefined
  const base = `${ctx.search.fhirBaseUrl}/`
  if (text.startsWith(base)) text = text.slice(base.length)
  const match = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(text)
  return match === null ? undefined : { type: match[1] as string, id: match[2] as string }
}

/** The current version of a referenced resource, optionally locked; undefined when not stored here. */
export async function readReference<T extends Resource> (ctx: FhirContext, q: Queryable, reference: Reference | undefined, type: T['resourceType'], lock = false): Promise<T | undefined> {
  const target = localTarget(ctx, reference)
  if (target?.type !== type) return undefined
  const current = await readCurrent(q, target.type, target.id, lock)
  return current?.json === undefined || current.json === null ? undefined : JSON.parse(current.json) as T
}

/** Up to `limit` current resources of a type matching a search such as "focus=ServiceRequest/1". */
export async function findResources<T extends Resource> (ctx: FhirContext, q: Queryable, type: T['resourceType'], query: string, limit = 200): Promise<T[]> {
  const parsed = parseSearch([type], new URLSearchParams(query), { registry: ctx.search.registry, defaultCount: limit, maxCount: limit, lenient: false, fhirBaseUrl: ctx.search.fhirBaseUrl })
  const page = await searchPage(q, { ...parsed, count: limit, sort: [] }, await expandValueSets(q, parsed.conditions), undefined)
  return page.matches.flatMap(m => m.json === null ? [] : [JSON.parse(m.json) as T])
}
