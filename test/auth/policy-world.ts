/**
 * A small shared world for the access-policy tests: two GP practices, a link-worker service,
 * two VCFSE organisations and a dashboard, four patients (one refusing evaluation, one limiting
 * sharing with community organisations), their referrals, tasks, outcomes and consents, and
 * which resources each client should see. Seeded once per test file, as admin.
 */
import type { FastifyInstance } from 'fastify'
import type { ClientRole } from '../../src/auth/caller.js'
import { FHIR, FHIR_JSON } from '../helper.js'
import { consent, NHS, NHS_NUMBERS, SNOMED } from '../workflow/fixtures.js'

export const ODS = 'https://fhir.nhs.uk/Id/ods-organization-code'
export const REFERRAL_ID_SYSTEM = 'https://fhir.socialprescribing.example/Id/referral'

export interface ClientSpec { readonly clientId: string, readonly role: ClientRole, readonly odsCode?: string, readonly scopes: string[], readonly identifiable?: boolean }

const ALL = ['system/*.cruds']
export const CLIENTS = {
  admin: { clientId: 'admin', role: 'admin', scopes: ALL },
  gpA: { clientId: 'gp-a', role: 'gp-system', odsCode: 'A81001', scopes: ALL },
  gpB: { clientId: 'gp-b', role: 'gp-system', odsCode: 'A81002', scopes: ALL },
  lw: { clientId: 'lw', role: 'link-worker-service', odsCode: 'LW001', scopes: ALL },
  crmC: { clientId: 'crm-c', role: 'vcfse-crm', odsCode: 'V0001', scopes: ALL },
  crmD: { clientId: 'crm-d', role: 'vcfse-crm', odsCode: 'V0002', scopes: ALL },
  dash: { clientId: 'dash', role: 'dashboard', odsCode: 'X26', scopes: ALL },
  dashId: { clientId: 'dash-id', role: 'dashboard', odsCode: 'X26', scopes: ALL, identifiable: true }
} satisfies Record<string, ClientSpec>

export type ClientName = keyof typeof CLIENTS
export const CLIENT_NAMES = Object.keys(CLIENTS) as ClientName[]

/** Patients' direct identifiers, to look for in bodies that must not hold them. */
export const PEOPLE = {
  P1: { nhs: NHS_NUMBERS[0], family: 'Ashdown' },
  P2: { nhs: NHS_NUMBERS[1], family: 'Brennan' },
  P3: { nhs: NHS_NUMBERS[2], family: 'Carrow' },
  P4: { nhs: NHS_NUMBERS[3], family: 'Dunmore' }
} as const
export type Person = keyof typeof PEOPLE

/** Resources of the world that the policy decides on, by key. */
export const KEYS = ['P1', 'P2', 'P3', 'P4', 'SR1', 'SR1a', 'SR2', 'SR3', 'SR4', 'T1', 'T2', 'T4', 'O1', 'O1x', 'O2', 'O4', 'O4c', 'CN1', 'CN3', 'CN4', 'AE'] as const
export type Key = typeof KEYS[number]

const EVERYTHING = KEYS.filter(k => k !== 'AE')
/** Who sees what (docs/access.md); admin sees everything. */
export const VISIBLE: Record<ClientName, ReadonlySet<Key>> = {
  admin: new Set(KEYS),
  gpA: new Set(['P1', 'P3', 'P4', 'SR1', 'SR1a', 'SR3', 'SR4', 'T1', 'T4', 'O1', 'O1x', 'O4', 'O4c', 'CN1', 'CN3', 'CN4']),
  gpB: new Set(['P2', 'SR2', 'T2', 'O2']),
  lw: new Set(['P1', 'P3', 'P4', 'SR1', 'SR1a', 'SR3', 'SR4', 'T1', 'T4', 'O1', 'O1x', 'O4', 'O4c', 'CN1', 'CN3', 'CN4']),
  // O4 belongs to the referral crm-c holds, but P4 limits sharing with community organisations.
  crmC: new Set(['P1', 'P4', 'SR1a', 'SR4', 'T1', 'T4', 'O1', 'O1x', 'O4c']),
  crmD: new Set(['P2', 'SR2', 'T2', 'O2']),
  // P3 refused evaluation: nothing of theirs reaches a dashboard.
  dash: new Set(EVERYTHING.filter(k => !['P3', 'SR3', 'CN3'].includes(k))),
  dashId: new Set(EVERYTHING.filter(k => !['P3', 'SR3', 'CN3'].includes(k)))
}

/** Whose data each key is, for the direct-identifier checks. */
export const PERSON_OF: Partial<Record<Key, Person>> = {
  P1: 'P1', P2: 'P2', P3: 'P3', P4: 'P4', SR1: 'P1', SR1a: 'P1', SR2: 'P2', SR3: 'P3', SR4: 'P4', T1: 'P1', T2: 'P2', T4: 'P4', O1: 'P1', O1x: 'P1', O2: 'P2', O4: 'P4', O4c: 'P4', CN1: 'P1', CN3: 'P3', CN4: 'P4'
}

export interface World {
  readonly id: Record<Key | 'orgA' | 'orgB' | 'orgL' | 'orgM' | 'orgC' | 'orgD' | 'hsL' | 'roleA' | 'roleB', string>
  readonly typeOf: Record<Key, string>
  /** The key of a stored type/id, if it is one of the world's. */
  readonly keyOf: (type: string, id: string) => Key | undefined
}

export type Headers = Record<string, string>

/** Seeds the world through the API as the admin client. */
export async function seedWorld (app: FastifyInstance, admin: Headers): Promise<World> {
  const id: Record<string, string> = {}
  const typeOf: Record<string, string> = {}
  const create = async (key: string, resource: Record<string, unknown>): Promise<string> => {
    const res = await app.inject({ method: 'POST', url: `${FHIR}/${resource.resourceType as string}`, headers: { ...FHIR_JSON, ...admin }, payload: resource })
    if (res.statusCode !== 201) throw new Error(`${key} not created: ${res.statusCode} ${res.body}`)
    id[key] = res.json().id
    typeOf[key] = resource.resourceType as string
    return id[key] as string
  }
  const org = async (key: string, ods: string, name: string): Promise<string> => await create(key, { resourceType: 'Organization', identifier: [{ system: ODS, value: ods }], name })
  await org('orgA', 'A81001', 'Riverside Practice')
  await org('orgB', 'A81002', 'Hillside Practice')
  await org('orgL', 'LW001', 'Link Worker Service')
  await org('orgM', 'LW002', 'Other Link Worker Service')
  await org('orgC', 'V0001', 'Walking Club')
  await org('orgD', 'V0002', 'Money Advice')
  await create('roleA', { resourceType: 'PractitionerRole', organization: { reference: `Organization/${id.orgA}` } })
  await create('roleB', { resourceType: 'PractitionerRole', organization: { reference: `Organization/${id.orgB}` } })
  await create('hsL', { resourceType: 'HealthcareService', name: 'Social prescribing', providedBy: { reference: `Organization/${id.orgL}` } })
  const patient = async (key: Person, gp: string): Promise<string> => await create(key, {
    resourceType: 'Patient',
    identifier: [{ system: NHS, value: PEOPLE[key].nhs }],
    name: [{ family: PEOPLE[key].family, given: ['Sam'] }],
    gender: 'female',
    birthDate: '1950-03-14',
    generalPractitioner: [{ reference: `Organization/${gp}` }]
  })
  await patient('P1', id.orgA as string)
  await patient('P2', id.orgB as string)
  await patient('P3', id.orgA as string)
  await patient('P4', id.orgA as string)
  const referral = (key: string, person: string, requester: Record<string, unknown>, performer: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    resourceType: 'ServiceRequest',
    identifier: [{ system: REFERRAL_ID_SYSTEM, value: key }],
    status: 'active',
    intent: 'order',
    code: { coding: [{ system: SNOMED, code: '871731000000106' }] },
    subject: { reference: `Patient/${person}` },
    requester,
    performer: [{ reference: performer }],
    ...extra
  })
  await create('SR1', referral('SR1', id.P1 as string, { reference: `Organization/${id.orgA}` }, `HealthcareService/${id.hsL}`))
  await create('SR1a', referral('SR1a', id.P1 as string, { reference: `Organization/${id.orgL}` }, `Organization/${id.orgC}`, { basedOn: [{ reference: `ServiceRequest/${id.SR1}` }] }))
  await create('SR2', referral('SR2', id.P2 as string, { reference: `Organization/${id.orgB}` }, `Organization/${id.orgM}`))
  await create('SR3', referral('SR3', id.P3 as string, { reference: `Organization/${id.orgA}` }, `HealthcareService/${id.hsL}`))
  // A logical reference: the requester named by its ODS code alone.
  await create('SR4', referral('SR4', id.P4 as string, { type: 'Organization', identifier: { system: ODS, value: 'A81001' } }, `HealthcareService/${id.hsL}`))
  const task = (key: string, focus: string, person: string, owner: Record<string, unknown>): Record<string, unknown> => ({
    resourceType: 'Task',
    identifier: [{ system: REFERRAL_ID_SYSTEM, value: key }],
    status: 'requested',
    intent: 'order',
    code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] },
    focus: { reference: `ServiceRequest/${focus}` },
    for: { reference: `Patient/${person}` },
    owner
  })
  await create('T1', task('T1', id.SR1a as string, id.P1 as string, { reference: `Organization/${id.orgC}` }))
  await create('T2', task('T2', id.SR2 as string, id.P2 as string, { reference: `Organization/${id.orgD}` }))
  await create('T4', task('T4', id.SR4 as string, id.P4 as string, { type: 'Organization', identifier: { system: ODS, value: 'V0001' } }))
  const observation = (person: string, basedOn: string | undefined, performer: string): Record<string, unknown> => ({
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: SNOMED, code: '225908003', display: 'Loneliness' }] },
    subject: { reference: `Patient/${person}` },
    ...(basedOn === undefined ? {} : { basedOn: [{ reference: `ServiceRequest/${basedOn}` }] }),
    performer: [{ reference: `Organization/${performer}` }],
    effectiveDateTime: '2026-02-01T10:00:00Z',
    valueBoolean: true
  })
  await create('O1', observation(id.P1 as string, id.SR1a, id.orgC as string))
  await create('O1x', observation(id.P1 as string, id.SR1a, id.orgL as string))
  await create('O2', observation(id.P2 as string, id.SR2, id.orgD as string))
  await create('O4', observation(id.P4 as string, id.SR4, id.orgA as string))
  await create('O4c', observation(id.P4 as string, undefined, id.orgC as string))
  // A permit for evaluation changes nothing: only a deny excludes.
  await create('CN1', consent(id.P1 as string, id.orgA as string, 'permit', 'evaluation'))
  await create('CN3', consent(id.P3 as string, id.orgA as string, 'deny', 'evaluation'))
  await create('CN4', consent(id.P4 as string, id.orgA as string, 'deny', 'vcfse-sharing'))
  await create('AE', {
    resourceType: 'AuditEvent',
    type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110112', display: 'Query' },
    recorded: '2026-02-01T10:00:00Z',
    agent: [{ requestor: true, who: { identifier: { value: 'gp-a' } } }],
    source: { observer: { identifier: { value: 'gateway' } } }
  })
  const byTypeId = new Map(KEYS.map(k => [`${typeOf[k] as string}/${id[k] as string}`, k]))
  return { id: id as World['id'], typeOf: typeOf as World['typeOf'], keyOf: (type, rid) => byTypeId.get(`${type}/${rid}`) }
}
