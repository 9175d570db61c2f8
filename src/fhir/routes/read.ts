/** GET [type]/[id] and GET [type]/[id]/_history/[vid]: https://hl7.org/fhir/R4/http.html#read */
import type { FastifyInstance } from 'fastify'
import { readLiveResource, vreadResource } from '../interactions/read.js'
import { etag } from '../http.js'
import type { FhirRouteDeps, InstanceParams, VersionParams } from './deps.js'
import { requireSupportedType, sendVersion } from './reply.js'
import { requestContextOf } from './request-context-of.js'

export function readRoutes (app: FastifyInstance, deps: FhirRouteDeps): void {
  app.get<{ Params: InstanceParams }>('/:type/:id', async (request, reply) => {
    const { type, id } = request.params
    requireSupportedType(type)
    const version = await readLiveResource(deps.readCurrent, deps.db, type, id, requestContextOf(request))
    // A client holding the current version need not download it again.
    if (request.headers['if-none-match'] === etag(version.versionId)) {
      return await reply.code(304).header('ETag', etag(version.versionId)).send()
    }
    return sendVersion(request, reply, 200, version, deps.fhirBaseUrl)
  })

  app.get<{ Params: VersionParams }>('/:type/:id/_history/:vid', async (request, reply) => {
    const { type, id, vid } = request.params
    requireSupportedType(type)
    return sendVersion(request, reply, 200, await vreadResource(deps.db, type, id, vid, requestContextOf(request)), deps.fhirBaseUrl)
  })
}
