/**
 * Which scope letters a FHIR REST request needs, from its route pattern (relative to /fhir),
 * method, parameters and body: search `s`; read, vread and history `r`; create `c`; update and
 * patch `u`; delete `d`. A conditional interaction (If-None-Exist, PUT/PATCH/DELETE by query)
 * also searches, so it needs `s` as well; a terminology operation reads its type (`r`). A batch
 * or transaction Bundle needs what each of its entries needs.
 */
import type { Bundle } from '@medplum/fhirtypes'
import { parseEntryUrl } from '../fhir/bundle/entry-url.js'
import { SUPPORTED_RESOURCE_TYPES } from '../fhir/resource-types.js'
import type { Interaction } from './scopes.js'

export interface ScopeNeed {
  readonly type: string
  readonly interaction: Interaction
}

export interface FhirRequestShape {
  /** The route pattern below /fhir, e.g. `/:type/:id`. */
  readonly route: string
  readonly method: string
  readonly params: Readonly<Record<string, string | undefined>>
  readonly query: URLSearchParams
  readonly conditionalCreate: boolean
  readonly body: unknown
  readonly fhirBaseUrl: string
}

/**
 * The needs of the request, or undefined for a route this table does not know (refused, so a
 * new route is closed until it is added here).
 */
export function fhirScopeNeeds (request: FhirRequestShape): ScopeNeed[] | undefined {
  const { route, params } = request
  // Fastify answers HEAD with the GET route.
  const method = request.method === 'HEAD' ? 'GET' : request.method
  const type = params.type ?? ''
  const one = (...interactions: Interaction[]): ScopeNeed[] => interactions.map(interaction => ({ type, interaction }))
  switch (`${method} ${route}`) {
    case 'GET /': return systemSearchTypes(request.query).map(t => ({ type: t, interaction: 's' }))
    case 'POST /': return bundleNeeds(request.body, request.fhirBaseUrl)
    case 'GET /:type': return one('s')
    case 'POST /:type/_search': return one('s')
    case 'POST /:type': return request.conditionalCreate ? one('c', 's') : one('c')
    case 'PUT /:type': return one('u', 's')
    case 'GET /:type/:id':
    case 'GET /:type/_history':
    case 'GET /:type/:id/_history':
    case 'GET /:type/:id/_history/:vid': return one('r')
    case 'PUT /:type/:id':
    case 'PATCH /:type/:id': return one('u')
    case 'DELETE /:type/:id': return one('d')
  }
  // The dashboard measure reads referrals, their patients and conditions as searches do.
  if (route === '/Measure/:id/$evaluate-measure' && (method === 'GET' || method === 'POST')) {
    return [{ type: 'Measure', interaction: 'r' }, ...['ServiceRequest', 'Patient', 'Condition'].map(t => ({ type: t, interaction: 's' as const }))]
  }
  // Other operations (`/ValueSet/$expand`, `/StructureMap/:id/$transform`…) read their type.
  const operation = /^\/([A-Z][A-Za-z]+)\/(?::id\/)?\$[a-z-]+$/.exec(route)
  if (operation !== null && (method === 'GET' || method === 'POST')) return [{ type: operation[1] ?? '', interaction: 'r' }]
  // Any other method on a known path is answered 405 whatever the scopes: being authenticated is enough.
  if (REST_PATHS.has(route)) return []
  return undefined
}

const REST_PATHS = new Set(['/', '/:type', '/:type/_search', '/:type/_history', '/:type/:id', '/:type/:id/_history', '/:type/:id/_history/:vid'])

function systemSearchTypes (query: URLSearchParams): string[] {
  const named = query.get('_type')
  return named === null ? [...SUPPORTED_RESOURCE_TYPES] : named.split(',').map(t => t.trim())
}

/**
 * Each entry's needs. A malformed Bundle or entry needs nothing here: the bundle processor
 * refuses it (400) before running any entry.
 */
export function bundleNeeds (body: unknown, fhirBaseUrl: string): ScopeNeed[] {
  const entries = (body as Bundle | null)?.entry
  if (!Array.isArray(entries)) return []
  const needs: ScopeNeed[] = []
  for (const entry of entries) {
    const method = entry?.request?.method
    const url = entry?.request?.url
    if (typeof method !== 'string' || typeof url !== 'string') continue
    let target
    try {
      target = parseEntryUrl(url, fhirBaseUrl, 'Bundle.entry.request.url')
    } catch {
      continue
    }
    const add = (...interactions: Interaction[]): void => { for (const interaction of interactions) needs.push({ type: target.type, interaction }) }
    const byQuery = target.id === undefined && target.query !== undefined
    switch (method) {
      case 'GET':
      case 'HEAD':
        add(target.id === undefined ? 's' : 'r')
        break
      case 'POST':
        add('c')
        if (typeof entry.request?.ifNoneExist === 'string') add('s')
        break
      case 'PUT':
      case 'PATCH':
        add('u')
        if (byQuery) add('s')
        break
      case 'DELETE':
        add('d')
        if (byQuery) add('s')
        break
    }
  }
  return needs
}
