/** Sends a stored version the FHIR way: ETag, Last-Modified, Location, Prefer. */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { OperationOutcomeIssue } from '@medplum/fhirtypes'
import type { StoredVersion } from '../../store/resources.js'
import { GatewayError } from '../../errors.js'
import { etag, httpDate, parseReturnPreference } from '../http.js'
import { informational } from '../outcome.js'
import { isSupportedResourceType } from '../resource-types.js'
import { accessOf } from '../../auth/access-policy.js'
import { deidentify } from '../../auth/deidentify.js'

export const FHIR_JSON = 'application/fhir+json; charset=utf-8'

export function sendVersion (
  request: FastifyRequest, reply: FastifyReply, status: number, version: StoredVersion,
  fhirBaseUrl: string, warnings: OperationOutcomeIssue[] = []
): FastifyReply {
  reply.code(status).header('ETag', etag(version.versionId)).header('Last-Modified', httpDate(version.lastUpdated))
  if (status === 201) {
    reply.header('Location', `${fhirBaseUrl}/${version.resourceType}/${version.id}/_history/${version.versionId}`)
  }
  const preference = parseReturnPreference(request.headers.prefer)
  if (preference === 'minimal') return reply.send()
  reply.type(FHIR_JSON)
  if (preference === 'OperationOutcome') {
    return reply.send(informational(`${version.resourceType}/${version.id} version ${version.versionId} stored`, warnings))
  }
  // A dashboard without identifiable access gets the de-identified resource (src/auth/deidentify.ts).
  if (version.json !== null && accessOf(request.caller)?.deidentify === true) return reply.send(deidentify(JSON.parse(version.json)))
  return reply.send(version.json)
}

/** Unknown and unsupported types are 404 with an OperationOutcome. */
export function requireSupportedType (type: string): void {
  if (!isSupportedResourceType(type)) {
    throw new GatewayError('not-found', `Resource type ${type} is not supported by this server`, { expression: 'type' })
  }
}
