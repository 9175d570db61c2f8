/** GET [type]/[id] and GET [type]/[id]/_history/[vid]: https://hl7.org/fhir/R4/http.html#read */
import type { FastifyInstance } from 'fastify'
import { readLiveResource, vreadResource } from '../interactions/read.js'
import { etag } from '../http.js'
import type { FhirRouteDeps, InstanceParams, VersionParams } from './deps.js'
import { requireSupportedType, sendVersion } from './reply.js'
import { requestContextOf } from './request-context-of.js'
import { requestAuditFacts } from '../../audit/plugin.js'

/** The version an If-None-Match header holds (W/"3"), if it names one. */
function heldVersion (header: string | undefined): number | undefined {
  const match = header === undefined ? null : /^W\/"(\d{1,9})"$/.exec(header)
  return match === null ? undefined : Number(match[1])
}

export function readRoutes (app: FastifyInstance, deps: FhirRouteDeps): void {
  app.get<{ Params: InstanceParams }>('/:type/:id', async (request, reply) => {
    const { type, id } = request.params
    requireSupportedType(type)
    const held = heldVersion(request.headers['if-none-match'])
    const facts = requestAuditFacts(request, 200)
    const audit = facts === undefined
      ? undefined
      : { build: () => ({ record: deps.audit.record(facts), ...(held === undefined ? {} : { heldVersion: held }) }), recorded: () => { request.auditRecorded = true } }
    const version = await readLiveResource(deps.readCurrent, deps.db, type, id, requestContextOf(request), audit)
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
