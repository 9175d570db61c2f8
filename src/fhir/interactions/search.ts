/**
 * The search-type interaction over the basic criteria (_id, identifier):
 * https://hl7.org/fhir/R4/http.html#search. Full search arrives with its own issue.
 */
import type { Bundle } from '@medplum/fhirtypes'
import type { Queryable } from '../../store/database.js'
import { findResources } from '../../store/find.js'
import { GatewayError } from '../../errors.js'
import { parseCriteria } from '../search/criteria.js'
import type { FhirContext } from './context.js'

export const DEFAULT_SEARCH_COUNT = 20
export const MAX_SEARCH_COUNT = 1000

export async function searchType (ctx: FhirContext, q: Queryable, type: string, params: URLSearchParams, selfUrl: string, fhirBaseUrl: string): Promise<Bundle> {
  const criteria = parseCriteria(params, ctx.typesWithIdentifier, type)
  const rawCount = params.get('_count')
  if (rawCount !== null && !/^\d{1,6}$/.test(rawCount)) {
    throw new GatewayError('invalid', '_count must be a non-negative integer', { expression: '_count' })
  }
  const count = Math.min(rawCount === null ? DEFAULT_SEARCH_COUNT : Number(rawCount), MAX_SEARCH_COUNT)
  const found = count === 0 ? [] : await findResources(q, type, criteria, count)
  const query = params.toString()
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link: [{ relation: 'self', url: query === '' ? selfUrl : `${selfUrl}?${query}` }],
    entry: found.map(version => ({
      fullUrl: `${fhirBaseUrl}/${type}/${version.id}`,
      resource: JSON.parse(version.json as string),
      search: { mode: 'match' }
    }))
  }
}
