/** GET [type]/_history and [type]/[id]/_history: https://hl7.org/fhir/R4/http.html#history */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { readHistoryBundle } from '../interactions/history.js'
import type { FhirRouteDeps, InstanceParams, TypeParams } from './deps.js'
import { FHIR_JSON, requireSupportedType } from './reply.js'

export function historyRoutes (app: FastifyInstance, deps: FhirRouteDeps): void {
  app.get<{ Params: TypeParams }>('/:type/_history', async (request, reply) => {
    const { type } = request.params
    requireSupportedType(type)
    const bundle = await readHistoryBundle(deps.db, {
      type, params: queryOf(request), selfUrl: `${deps.fhirBaseUrl}/${type}/_history`, fhirBaseUrl: deps.fhirBaseUrl, defaultCount: deps.historyPageSize, caller: request.caller
    })
    return await reply.type(FHIR_JSON).send(bundle)
  })

  app.get<{ Params: InstanceParams }>('/:type/:id/_history', async (request, reply) => {
    const { type, id } = request.params
    requireSupportedType(type)
    const bundle = await readHistoryBundle(deps.db, {
      type, id, params: queryOf(request), selfUrl: `${deps.fhirBaseUrl}/${type}/${id}/_history`, fhirBaseUrl: deps.fhirBaseUrl, defaultCount: deps.historyPageSize, caller: request.caller
    })
    return await reply.type(FHIR_JSON).send(bundle)
  })
}

export function queryOf (request: FastifyRequest): URLSearchParams {
  const at = request.url.indexOf('?')
  return new URLSearchParams(at < 0 ? '' : request.url.slice(at + 1))
}
