/** GET [type]?… and POST [type]/_search: https://hl7.org/fhir/R4/http.html#search */
import type { FastifyInstance } from 'fastify'
import { searchType } from '../interactions/search.js'
import type { FhirRouteDeps, TypeParams } from './deps.js'
import { queryOf } from './history.js'
import { FHIR_JSON, requireSupportedType } from './reply.js'

export function searchRoutes (app: FastifyInstance, deps: FhirRouteDeps): void {
  app.get<{ Params: TypeParams }>('/:type', async (request, reply) => {
    const { type } = request.params
    requireSupportedType(type)
    const bundle = await searchType(deps.ctx, deps.db, type, queryOf(request), `${deps.fhirBaseUrl}/${type}`, deps.fhirBaseUrl)
    return await reply.type(FHIR_JSON).send(bundle)
  })

  app.post<{ Params: TypeParams }>('/:type/_search', async (request, reply) => {
    const { type } = request.params
    requireSupportedType(type)
    const params = queryOf(request)
    if (request.body instanceof URLSearchParams) for (const [name, value] of request.body) params.append(name, value)
    const bundle = await searchType(deps.ctx, deps.db, type, params, `${deps.fhirBaseUrl}/${type}`, deps.fhirBaseUrl)
    return await reply.type(FHIR_JSON).send(bundle)
  })
}
