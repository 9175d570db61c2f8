/**
 * GET [type]?…, POST [type]/_search (form body) and system-level GET [base]?_type=…:
 * https://hl7.org/fhir/R4/http.html#search
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { GatewayError } from '../../errors.js'
import { isSupportedResourceType, SUPPORTED_RESOURCE_TYPES } from '../resource-types.js'
import { executeSearch } from '../search/execute.js'
import type { FhirRouteDeps, TypeParams } from './deps.js'
import { queryOf } from './history.js'
import { FHIR_JSON, requireSupportedType } from './reply.js'

export function searchRoutes (app: FastifyInstance, deps: FhirRouteDeps): void {
  app.get<{ Params: TypeParams }>('/:type', async (request, reply) => {
    const { type } = request.params
    requireSupportedType(type)
    const bundle = await executeSearch(deps.db, deps.ctx.search, {
      types: [type], params: queryOf(request), endpoint: `${deps.fhirBaseUrl}/${type}`, lenient: isLenient(request), caller: request.caller
    })
    return await reply.type(FHIR_JSON).send(bundle)
  })

  app.post<{ Params: TypeParams }>('/:type/_search', async (request, reply) => {
    const { type } = request.params
    requireSupportedType(type)
    const params = queryOf(request)
    if (request.body instanceof URLSearchParams) for (const [name, value] of request.body) params.append(name, value)
    const bundle = await executeSearch(deps.db, deps.ctx.search, {
      types: [type], params, endpoint: `${deps.fhirBaseUrl}/${type}`, lenient: isLenient(request), caller: request.caller
    })
    return await reply.type(FHIR_JSON).send(bundle)
  })

  app.get('/', async (request, reply) => {
    const params = queryOf(request)
    const named = params.get('_type')
    const types = named === null ? [...SUPPORTED_RESOURCE_TYPES] : named.split(',').map(t => t.trim())
    if (types.length === 0 || types.some(type => !isSupportedResourceType(type))) {
      throw new GatewayError('invalid', `Search parameter "_type": "${named ?? ''}" must list resource types this server holds`, { expression: '_type' })
    }
    const bundle = await executeSearch(deps.db, deps.ctx.search, { types, params, endpoint: deps.fhirBaseUrl, lenient: isLenient(request), caller: request.caller })
    return await reply.type(FHIR_JSON).send(bundle)
  })
}

/** Prefer: handling=lenient ignores unknown parameters and says so; strict is the default. */
function isLenient (request: FastifyRequest): boolean {
  const prefer = request.headers.prefer
  return /(?:^|[,;\s])handling=lenient\b/.test(Array.isArray(prefer) ? prefer.join(',') : prefer ?? '')
}
