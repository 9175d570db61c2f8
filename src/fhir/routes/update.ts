/** PUT [type]/[id] and conditional PUT [type]?[search]: https://hl7.org/fhir/R4/http.html#update */
import type { FastifyInstance } from 'fastify'
import { GatewayError } from '../../errors.js'
import { asResourceOfType, parseIfMatch } from '../interactions/stamp.js'
import { conditionalUpdate, updateResource } from '../interactions/update.js'
import { auditedTransaction } from './audited.js'
import type { FhirRouteDeps, InstanceParams, TypeParams } from './deps.js'
import { requireSupportedType, sendVersion } from './reply.js'
import { requestContextOf } from './request-context-of.js'

export function updateRoutes (app: FastifyInstance, deps: FhirRouteDeps): void {
  app.put<{ Params: InstanceParams }>('/:type/:id', async (request, reply) => {
    const { type, id } = request.params
    requireSupportedType(type)
    const resource = asResourceOfType(request.body, type)
    const ifMatch = parseIfMatch(request.headers['if-match'])
    const result = await auditedTransaction(deps, request, async tx => await updateResource(deps.ctx, tx, id, resource, ifMatch, requestContextOf(request)), result => result)
    return sendVersion(request, reply, result.status, result.version, deps.fhirBaseUrl, result.warnings)
  })

  app.put<{ Params: TypeParams }>('/:type', async (request, reply) => {
    const { type } = request.params
    requireSupportedType(type)
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : ''
    if (query === '') throw new GatewayError('method-not-allowed', 'PUT needs [type]/[id], or [type]?[search] for a conditional update')
    const resource = asResourceOfType(request.body, type)
    const ifMatch = parseIfMatch(request.headers['if-match'])
    const result = await auditedTransaction(deps, request, async tx => await conditionalUpdate(deps.ctx, tx, query, resource, ifMatch, requestContextOf(request)), result => result)
    return sendVersion(request, reply, result.status, result.version, deps.fhirBaseUrl, result.warnings)
  })
}
