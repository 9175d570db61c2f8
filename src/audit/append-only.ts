/**
 * The audit trail is append-only: an AuditEvent, once stored, is never changed or deleted
 * through the API (by any client, admin included), so no one can rewrite the record of what
 * they did. Creating one (a client reporting its own audit record) stays allowed.
 */
import { GatewayError } from '../errors.js'

export function refuseAuditTrailChange (type: string): void {
  if (type === 'AuditEvent') {
    throw new GatewayError('method-not-allowed', 'AuditEvents cannot be updated, patched or deleted: the audit trail is append-only')
  }
}
