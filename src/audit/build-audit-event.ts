/**
 * Turns AuditFacts into an R4 AuditEvent in the IHE Basic Audit Log Patterns (BALP) style:
 * type `rest` with the restful-interaction subtype, action C/R/U/D/E, outcome 0/4/8, the client
 * (DICOM 110153 Source Role ID, with its network address), its organisation by ODS code, the
 * gateway (110152 Destination Role ID), the resources as references, the query as parameter names,
 * and the X-Request-Id as a BALP `XrequestId` entity. A failed authentication is a DICOM 110114
 * User Authentication event, subtype 110122 Login.
 */
import type { AuditEvent, AuditEventAgent, AuditEventEntity, Coding } from '@medplum/fhirtypes'
import type { AuditedEntity, AuditedInteraction } from './audit-facts.js'
import type { StoredFacts } from './stored-facts.js'

/** Where client ids live; a gateway-wide namespace, not a published NamingSystem. */
export const CLIENT_ID_SYSTEM = 'urn:sp-gateway:client-id'
export const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code'
export const REQUEST_ID_ENTITY_TYPE: Coding = { system: 'https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType', code: 'XrequestId', display: 'XrequestId' }

const DCM = 'http://dicom.nema.org/resources/ontology/DCM'
export const REST_TYPE: Coding = { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' }
const AUTHENTICATION_TYPE: Coding = { system: DCM, code: '110114', display: 'User Authentication' }
const LOGIN_SUBTYPE: Coding = { system: DCM, code: '110122', display: 'Login' }
const RESTFUL_INTERACTION = 'http://hl7.org/fhir/restful-interaction'
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type'
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role'
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType'

type Action = NonNullable<AuditEvent['action']>

const ACTIONS: Record<AuditedInteraction, Action> = {
  create: 'C',
  read: 'R',
  vread: 'R',
  'history-instance': 'R',
  'history-type': 'R',
  update: 'U',
  patch: 'U',
  delete: 'D',
  'search-type': 'E',
  'search-system': 'E',
  transaction: 'E',
  batch: 'E',
  operation: 'E',
  login: 'E'
}

export interface AuditEventSettings {
  /** The gateway's FHIR base, named as the observer and the destination. */
  readonly fhirBaseUrl: string
}

/** `status` is the HTTP status answered; `recorded` an ISO 8601 instant. */
export function buildAuditEvent (facts: StoredFacts, status: number, recorded: string, settings: AuditEventSettings): AuditEvent {
  const login = facts.interaction === 'login'
  return {
    resourceType: 'AuditEvent',
    type: login ? AUTHENTICATION_TYPE : REST_TYPE,
    subtype: [login ? LOGIN_SUBTYPE : { system: RESTFUL_INTERACTION, code: facts.interaction }],
    action: ACTIONS[facts.interaction],
    recorded,
    outcome: outcomeOf(status),
    outcomeDesc: `HTTP ${status}`,
    agent: agentsOf(facts, settings),
    source: gatewaySource(settings),
    entity: [
      ...facts.entities.map(entityOf),
      { what: { identifier: { value: facts.requestId } }, type: REQUEST_ID_ENTITY_TYPE }
    ]
  }
}

/** 0 success, 4 minor failure (the client's request was refused), 8 serious failure (ours). */
export function outcomeOf (status: number): AuditEvent['outcome'] {
  if (status < 400) return '0'
  return status < 500 ? '4' : '8'
}

function agentsOf (facts: StoredFacts, settings: AuditEventSettings): AuditEventAgent[] {
  // For a failed authentication the stored client id is only the one the request claimed.
  const { clientId, odsCode, tokenId } = facts
  const client: AuditEventAgent = {
    type: { coding: [{ system: DCM, code: '110153', display: 'Source Role ID' }] },
    ...(clientId === undefined ? {} : { who: { identifier: { system: CLIENT_ID_SYSTEM, value: clientId } }, altId: clientId }),
    // Without an organisation the client system itself is the requestor (an admin client).
    requestor: odsCode === undefined,
    // The token's id (jti) links the event to the token grant; the token itself is never kept.
    ...(tokenId === undefined ? {} : { policy: [tokenId] }),
    ...(facts.sourceIp === undefined ? {} : { network: { address: facts.sourceIp, type: '2' } })
  }
  const agents = [client]
  if (odsCode !== undefined) {
    const writes = ['C', 'U', 'D'].includes(ACTIONS[facts.interaction])
    agents.push({
      type: { coding: [writes ? { system: PARTICIPATION, code: 'AUT', display: 'author (originator)' } : { system: PARTICIPATION, code: 'IRCP', display: 'information recipient' }] },
      who: { type: 'Organization', identifier: { system: ODS_SYSTEM, value: odsCode } },
      requestor: true
    })
  }
  agents.push(gatewayAgent(settings))
  return agents
}

/** The gateway as the destination of the request (DICOM 110152 Destination Role ID). */
export function gatewayAgent (settings: AuditEventSettings): AuditEventAgent {
  return {
    type: { coding: [{ system: DCM, code: '110152', display: 'Destination Role ID' }] },
    who: { display: settings.fhirBaseUrl },
    requestor: false
  }
}

/** The gateway as the observer that recorded the event. */
export function gatewaySource (settings: AuditEventSettings): AuditEvent['source'] {
  return {
    site: settings.fhirBaseUrl,
    observer: { display: 'social prescribing FHIR gateway' },
    type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }]
  }
}

function entityOf (entity: AuditedEntity): AuditEventEntity {
  const isPatient = entity.type === 'Patient'
  const detail = entity.operation === undefined ? {} : { detail: [{ type: 'operation', valueString: entity.operation }] }
  if (entity.type !== undefined && entity.id !== undefined) {
    return {
      what: { reference: `${entity.type}/${entity.id}${entity.versionId === undefined ? '' : `/_history/${entity.versionId}`}` },
      type: { system: ENTITY_TYPE, code: isPatient ? '1' : '2', display: isPatient ? 'Person' : 'System Object' },
      role: isPatient ? { system: OBJECT_ROLE, code: '1', display: 'Patient' } : { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
      ...detail
    }
  }
  // A type-level interaction (search, type history, a create that failed): the type, and the query.
  return {
    type: entity.type === undefined
      ? { system: ENTITY_TYPE, code: '2', display: 'System Object' }
      : { system: 'http://hl7.org/fhir/resource-types', code: entity.type },
    ...(entity.query === undefined || entity.query === '' ? {} : { role: { system: OBJECT_ROLE, code: '24', display: 'Query' }, query: Buffer.from(entity.query, 'utf8').toString('base64') }),
    ...detail
  }
}
