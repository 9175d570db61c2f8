/**
 * Which interaction a request is, from its method and matched route, for requests the write
 * paths do not record themselves: reads, searches, operations and every failure. One table for
 * the whole FHIR API, so a new route is audited by adding a line here (or by naming its
 * interaction in the route's `config.audit`, as inbound routes do).
 */
import { ID_PATTERN, isSupportedResourceType } from '../fhir/resource-types.js'
import type { AuditedEntity, AuditedInteraction } from './audit-facts.js'
import { auditQuery } from './audit-query.js'

export interface RouteRequest {
  readonly method: string
  /** The matched route's URL pattern, e.g. `/fhir/:type/:id`; undefined when no route matched. */
  readonly routeUrl: string | undefined
  readonly params: Readonly<Record<string, string | undefined>>
  /** The query string, without `?`. */
  readonly query: string
  readonly body: unknown
  /** A route's own declaration (`config.audit`), which wins over the table. */
  readonly declared?: AuditedInteraction
}

export interface RouteAudit {
  readonly interaction: AuditedInteraction
  readonly entities: AuditedEntity[]
}

const FHIR_PREFIX = '/fhir'

/** Undefined for requests that touch no resources (metadata, health, unknown paths). */
export function routeAudit (request: RouteRequest): RouteAudit | undefined {
  const interaction = request.declared ?? interactionOf(request)
  if (interaction === undefined) return undefined
  return { interaction, entities: entitiesOf(request, interaction) }
}

function interactionOf ({ method, routeUrl, body }: RouteRequest): AuditedInteraction | undefined {
  if (routeUrl === undefined || !(routeUrl === FHIR_PREFIX || routeUrl.startsWith(`${FHIR_PREFIX}/`))) return undefined
  // The base itself is registered both with and without its trailing slash.
  const path = routeUrl.slice(FHIR_PREFIX.length) || '/'
  if (path.includes('$')) return 'operation'
  switch (`${method} ${path}`) {
    case 'GET /:type/:id': case 'HEAD /:type/:id': return 'read'
    case 'GET /:type/:id/_history/:vid': return 'vread'
    case 'GET /:type': case 'POST /:type/_search': return 'search-type'
    case 'GET /': return 'search-system'
    case 'GET /:type/_history': return 'history-type'
    case 'GET /:type/:id/_history': return 'history-instance'
    case 'POST /:type': return 'create'
    case 'PUT /:type/:id': case 'PUT /:type': return 'update'
    case 'PATCH /:type/:id': return 'patch'
    case 'DELETE /:type/:id': return 'delete'
    case 'POST /': return (body as { type?: unknown } | null)?.type === 'transaction' ? 'transaction' : 'batch'
    default: return undefined
  }
}

function entitiesOf (request: RouteRequest, interaction: AuditedInteraction): AuditedEntity[] {
  const { params } = request
  // The type and operation of /fhir/ValueSet/$expand are in the path, not in params.
  const segments = (request.routeUrl ?? '').slice(FHIR_PREFIX.length).split('/')
  const type = params.type ?? segments.find(segment => /^[A-Z][A-Za-z]+$/.test(segment))
  const operation = segments.find(segment => segment.startsWith('$'))
  const supportedType = type !== undefined && isSupportedResourceType(type) ? type : undefined
  const id = params.id !== undefined && ID_PATTERN.test(params.id) ? params.id : undefined
  const versionId = params.vid !== undefined && /^\d{1,9}$/.test(params.vid) ? Number(params.vid) : undefined
  const queryParams = new URLSearchParams(request.query)
  if (request.body instanceof URLSearchParams) for (const [name, value] of request.body) queryParams.append(name, value)
  const query = auditQuery(queryParams)
  if (supportedType === undefined && interaction !== 'search-system' && query === '' && operation === undefined) return []
  return [{
    ...(supportedType === undefined ? {} : { type: supportedType }),
    ...(id === undefined || supportedType === undefined ? {} : { id }),
    ...(versionId === undefined || id === undefined ? {} : { versionId }),
    ...(query === '' ? {} : { query }),
    ...(operation === undefined ? {} : { operation })
  }]
}
