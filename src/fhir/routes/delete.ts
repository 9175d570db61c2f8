/** DELETE [type]/[id]: https://hl7.org/fhir/R4/http.html#delete */
import type { FastifyInstance } from 'fastify'
import { deleteResource } from '../interactions/delete.js'
import { parseIfMatch } from '../interactions/stamp.js'
import { etag } from '../http.js'
import { auditedTransaction } from './audited.js'
import type { FhirRouteDeps, InstanceParams } from './deps.js'
import { requireSupportedType } from './reply.js'
import { requestContextOf } from './request-context-of.js'

export function deleteRoute (app: FastifyInstance, deps: FhirRouteDeps): void {
  app.delete<{ Params: InstanceParams }>('/:type/:id', async (request, reply) => {
    const { type, id } = request.params
    requireSupportedType(type)
    const ifMatch = parseIfMatch(request.headers['if-match'])
    const version = await auditedTransaction(deps, request, async tx => await deleteResource(tx, deps.ctx.now(), type, id, ifMatch, requestContextOf(request)), version => ({ status: 204, version }))
    return await reply.code(204).header('ETag', etag(version.versionId)).send()
  })
}
