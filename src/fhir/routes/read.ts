/** GET [type]/[id] and GET [type]/[id]/_history/[vid]: https://hl7.org/fhir/R4/http.html#read */
import type { FastifyInstance } from 'fastify'
import { readLiveResource, vreadResource } from '../interactions/read.js'
import { etag } from '../http.js'
import type { FhirRouteDeps, InstanceParams, VersionParams } from './deps.js'
import { requireSupportedType, sendVersion } from './reply.js'
import { requestContextOf } from './request-context-of.js'
import { requestAuditFacts } from '../../audit/plugin.js'

/**
 * The version an If-None-Match header holds, if it is exactly an ETag this server gives (W/"3"):
 * the answer's 304 and the 304 its audit record states are decided from this one value.
 */
function heldVersion (header: string | undefined): number | undefined {
  const match = header === undefined ? null : /^W\/"([1-9]\d{0,9})"$/.exec(header)
  const version = match === null ? undefined : Number(match[1])
  // Versions are PostgreSQL integers: a larger number is no version this server gave.
  return version !== undefined && version <= 2_147_483_647 ? version : undefined
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
    if (held === version.versionId) {
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
