/**
 * The AuditEvent for an audit record this gateway cannot turn into its proper AuditEvent (facts
 * written by another version, or a row damaged outside the gateway). The record is not dropped
 * and does not hold up the records behind it: its event says when and with what status a request
 * was answered, that its facts could not be read, and carries them as they were stored (base64,
 * so whatever they hold cannot break the JSON or the search index).
 */
import type { AuditEvent } from '@medplum/fhirtypes'
import type { AuditRecordRow } from '../store/audit-records.js'
import { gatewayAgent, gatewaySource, outcomeOf, REST_TYPE, type AuditEventSettings } from './build-audit-event.js'

/** The gateway's own code for this case; not a published CodeSystem. */
export const UNREADABLE_RECORD_SUBTYPE = { system: 'urn:sp-gateway:audit', code: 'unreadable-record', display: 'Audit record could not be read' }

export function unreadableRecordEvent (record: AuditRecordRow, settings: AuditEventSettings): AuditEvent {
  return {
    resourceType: 'AuditEvent',
    type: REST_TYPE,
    subtype: [UNREADABLE_RECORD_SUBTYPE],
    action: 'E',
    recorded: record.recorded,
    // The outcome of the request the record stands for, from the status it was answered with.
    outcome: outcomeOf(record.status),
    outcomeDesc: `HTTP ${record.status}; the audit record's facts could not be read`,
    agent: [gatewayAgent(settings)],
    source: gatewaySource(settings),
    entity: [{
      what: { identifier: { system: 'urn:sp-gateway:audit-record', value: record.id } },
      detail: [{ type: 'stored-facts', valueBase64Binary: Buffer.from(record.facts, 'utf8').toString('base64') }]
    }]
  }
}
