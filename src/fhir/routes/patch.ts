/** PATCH [type]/[id] with JSON Patch or FHIRPath Patch: https://hl7.org/fhir/R4/http.html#patch */
import type { FastifyInstance } from 'fastify'
import { patchResource, type Patch } from '../interactions/patch.js'
import { parseIfMatch } from '../interactions/stamp.js'
import { auditedTransaction } from './audited.js'
import type { FhirRouteDeps, InstanceParams } from './deps.js'
import { requireSupportedType, sendVersion } from './reply.js'
import { requestContextOf } from './request-context-of.js'

export function patchRoute (app: FastifyInstance, deps: FhirRouteDeps): void {
  app.patch<{ Params: InstanceParams }>('/:type/:id', async (request, reply) => {
    const { type, id } = request.params
    requireSupportedType(type)
    const isJsonPatch = (request.headers['content-type'] ?? '').startsWith('application/json-patch+json')
    const patch: Patch = isJsonPatch
      ? { kind: 'json-patch', operations: request.body }
      : { kind: 'fhirpath-patch', parameters: request.body }
    const ifMatch = parseIfMatch(request.headers['if-match'])
    const result = await auditedTransaction(deps, request, async tx => await patchResource(deps.ctx, tx, type, id, patch, ifMatch, requestContextOf(request)), result => result)
    return sendVersion(request, reply, result.status, result.version, deps.fhirBaseUrl, result.warnings)
  })
}
