/** Finding AuditEvents through the public search API, as an admin would. */
import type { FastifyInstance } from 'fastify'
import type { AuditEvent } from '@medplum/fhirtypes'
import { FHIR } from '../helper.js'

/** The AuditEvents a search finds (the search itself is audited under its own request id). */
export async function findAudits (app: FastifyInstance, query: string): Promise<AuditEvent[]> {
  const res = await app.inject({ method: 'GET', url: `${FHIR}/AuditEvent?${query}&_count=200` })
  if (res.statusCode !== 200) throw new Error(`AuditEvent search ${query} answered ${res.statusCode}: ${res.body}`)
  return (res.json().entry ?? []).map((entry: { resource: AuditEvent }) => entry.resource)
}

/** The AuditEvents recorded for one X-Request-Id. */
export async function auditsOfRequest (app: FastifyInstance, requestId: string): Promise<AuditEvent[]> {
  return await findAudits(app, `entity:identifier=${encodeURIComponent(requestId)}`)
}

export function subtypeOf (event: AuditEvent): string | undefined {
  return event.subtype?.[0]?.code
}

/** The resource references an AuditEvent names, without versions. */
export function referencesOf (event: AuditEvent): string[] {
  return (event.entity ?? []).flatMap(entity => entity.what?.reference === undefined ? [] : [entity.what.reference.replace(/\/_history\/.*$/, '')])
}

export function queryOf (event: AuditEvent): string | undefined {
  const query = event.entity?.find(entity => entity.query !== undefined)?.query
  return query === undefined ? undefined : Buffer.from(query, 'base64').toString('utf8')
}

/** Every X-Request-Id an AuditEvent carries. */
export function requestIdsOf (event: AuditEvent): string[] {
  return (event.entity ?? []).filter(entity => entity.type?.code === 'XrequestId').map(entity => entity.what?.identifier?.value ?? '')
}
