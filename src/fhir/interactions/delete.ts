/**
 * FHIR delete, logical: https://hl7.org/fhir/R4/http.html#delete. A new version records the
 * deletion, a later read answers 410 Gone and history keeps every earlier version.
 */
import type { Queryable } from '../../store/database.js'
import { readCurrent, replaceResource, type StoredVersion } from '../../store/resources.js'
import { GatewayError } from '../../errors.js'
import { refuseAuditTrailChange } from '../../audit/append-only.js'
import { accessOf } from '../../auth/access-policy.js'
import { requireVisible, requireWritable } from '../../auth/enforce.js'
import type { RequestContext } from './request-context.js'

/** Returns the deletion version, or the existing one when already deleted (delete is idempotent). */
export async function deleteResource (tx: Queryable, now: Date, type: string, id: string, ifMatch?: number, request?: RequestContext): Promise<StoredVersion> {
  refuseAuditTrailChange(type)
  const current = await readCurrent(tx, type, id, true)
  if (current === undefined) throw new GatewayError('not-found', `${type}/${id} is not known`)
  const access = request === undefined ? undefined : accessOf(request.caller)
  // A restricted caller deletes only what it may change; out of reach (or already deleted) is 404.
  if (access !== undefined) {
    await requireVisible(tx, access, type, id)
    await requireWritable(tx, access, 'update', type, id)
  }
  if (ifMatch !== undefined && current.versionId !== ifMatch) {
    throw new GatewayError('precondition-failed', `If-Match version ${ifMatch} is not the current version of ${type}/${id}`)
  }
  if (current.deleted) return current
  const versionId = current.versionId + 1
  const lastUpdated = now.toISOString()
  await replaceResource(tx, type, id, versionId, lastUpdated, null, null)
  return { resourceType: type, id, versionId, lastUpdated, deleted: true, json: null }
}
