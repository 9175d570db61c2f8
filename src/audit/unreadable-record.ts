/**
 * The AuditEvent for an audit record this gateway cannot turn into its proper AuditEvent (facts
 * written by another version, or a row damaged outside the gateway). The record is not dropped
 * and does not hold up the records behind it: its event says when and with what status a request
 * was answered, that its facts could not be read, and carries them as they were stored (base64,
 * so whatever they hold cannot break the JSON or the search index).
 */
import type { AuditEvent } from '@medplum/fhirtypes'
import type { AuditRecordRow } from '../store/audit-records.js'
import type { AuditEventSettings } from './build-audit-event.js'

const DCM = 'http://dicom.nema.org/resources/ontology/DCM'
/** The gateway's own code for this case; not a published CodeSystem. */
export const UNREADABLE_RECORD_SUBTYPE = { system: 'urn:sp-gateway:audit', code: 'unreadable-record', display: 'Audit record could not be read' }

export function unreadableRecordEvent (record: AuditRecordRow, settings: AuditEventSettings): AuditEvent {
  const status = Number.isInteger(record.status) ? record.status : 0
  return {
    resourceType: 'AuditEvent',
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' },
    subtype: [UNREADABLE_RECORD_SUBTYPE],
    action: 'E',
    recorded: record.recorded,
    // The request's own outcome is in its status; the record's failure is the gateway's.
    outcome: status > 0 && status < 400 ? '0' : status >= 400 && status < 500 ? '4' : '8',
    outcomeDesc: `HTTP ${status}; the audit record's facts could not be read`,
    agent: [{
      type: { coding: [{ system: DCM, code: '110152', display: 'Destination Role ID' }] },
      who: { display: settings.fhirBaseUrl },
      requestor: false
    }],
    source: {
      site: settings.fhirBaseUrl,
      observer: { display: 'social prescribing FHIR gateway' },
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }]
    },
    entity: [{
      what: { identifier: { system: 'urn:sp-gateway:audit-record', value: record.id } },
      detail: [{ type: 'stored-facts', valueBase64Binary: Buffer.from(record.facts, 'utf8').toString('base64') }]
    }]
  }
}
