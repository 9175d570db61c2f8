/**
 * Builders for journey tests: people, programmes with eligibility, referrals, referral Tasks,
 * outcome Observations, and a small HTTP client over app.inject. Values marked † in domain.md's
 * scenarios are invented; these are too.
 */
import type { FastifyInstance } from 'fastify'
import { FHIR, FHIR_JSON } from '../helper.js'

export const BASE = 'https://fhir.socialprescribing.example'
export const CS = (name: string): string => `${BASE}/CodeSystem/${name}`
export const PROFILE = (name: string): string => `${BASE}/StructureDefinition/${name}`
export const SNOMED = 'http://snomed.info/sct'
export const NHS = 'https://fhir.nhs.uk/Id/nhs-number'

export interface Reply { readonly status: number, readonly body: any }

export function client (app: FastifyInstance): {
  post: (type: string, body: unknown) => Promise<Reply>
  put: (type: string, body: { id: string }) => Promise<Reply>
  patch: (path: string, ops: unknown[]) => Promise<Reply>
  get: (path: string) => Promise<Reply>
  tx: (entries: unknown[]) => Promise<Reply>
  created: (type: string, body: unknown) => Promise<any>
} {
  const reply = (res: { statusCode: number, body: string }): Reply => ({ status: res.statusCode, body: res.body === '' ? undefined : JSON.parse(res.body) })
  const post = async (type: string, body: unknown): Promise<Reply> => reply(await app.inject({ method: 'POST', url: `${FHIR}/${type}`, headers: FHIR_JSON, payload: body as object }))
  return {
    post,
    put: async (type, body) => reply(await app.inject({ method: 'PUT', url: `${FHIR}/${type}/${body.id}`, headers: FHIR_JSON, payload: body })),
    patch: async (path, ops) => reply(await app.inject({ method: 'PATCH', url: `${FHIR}/${path}`, headers: { 'content-type': 'application/json-patch+json' }, payload: ops as object[] })),
    get: async (path) => reply(await app.inject({ method: 'GET', url: `${FHIR}/${path}` })),
    tx: async (entries) => reply(await app.inject({ method: 'POST', url: FHIR, headers: FHIR_JSON, payload: { resourceType: 'Bundle', type: 'transaction', entry: entries } })),
    created: async (type, body) => {
      const res = await post(type, body)
      if (res.status !== 201) throw new Error(`${type} not created (${res.status}): ${JSON.stringify(res.body)}`)
      return res.body
    }
  }
}

/** Valid test-range NHS numbers (Modulus 11). */
export const NHS_NUMBERS = ['9990000018', '9990000026', '9990000034', '9990000042', '9990000050', '9990000069', '9990000077', '9990000085', '9990000093', '9990000107'] as const

export function person (nhsNumber: string, birthDate: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { resourceType: 'Patient', identifier: [{ system: NHS, value: nhsNumber }], name: [{ family: 'Tester', given: ['Sam'] }], birthDate, ...extra }
}

export function organisation (name: string): Record<string, unknown> {
  return { resourceType: 'Organization', name }
}

export function programme (name: string, organisationId: string, ages?: [number, number], conditions: string[] = []): Record<string, unknown> {
  return {
    resourceType: 'HealthcareService',
    meta: { profile: [PROFILE('sp-programme')] },
    name,
    providedBy: { reference: `Organization/${organisationId}` },
    extension: [
      ...(ages === undefined ? [] : [{ url: PROFILE('eligibility-age-range'), valueRange: { low: { value: ages[0], unit: 'a' }, high: { value: ages[1], unit: 'a' } } }]),
      ...conditions.map(code => ({ url: PROFILE('eligibility-qualifying-condition'), valueCodeableConcept: { coding: [{ system: CS('long-term-condition'), code }] } }))
    ]
  }
}

export function longTermCondition (patientId: string, code: string): Record<string, unknown> {
  return {
    resourceType: 'Condition',
    meta: { profile: [PROFILE('sp-condition')] },
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    code: { coding: [{ system: CS('long-term-condition'), code }] },
    subject: { reference: `Patient/${patientId}` }
  }
}

export interface ReferralOptions {
  readonly performer?: string
  readonly requester?: string
  readonly reasons?: string[]
  readonly route?: string
  readonly basedOn?: string
  readonly replaces?: string
  readonly code?: { system: string, code: string }
  readonly authoredOn?: string
  readonly extra?: Record<string, unknown>
}

export function spReferral (patientId: string, options: ReferralOptions = {}): Record<string, unknown> {
  return {
    resourceType: 'ServiceRequest',
    meta: { profile: [PROFILE('sp-referral')] },
    status: 'active',
    intent: 'order',
    ...(options.route === undefined ? {} : { extension: [{ url: PROFILE('referral-route'), valueCodeableConcept: { coding: [{ system: CS('referral-route'), code: options.route }] } }] }),
    ...(options.basedOn === undefined ? {} : { basedOn: [{ reference: options.basedOn }] }),
    ...(options.replaces === undefined ? {} : { replaces: [{ reference: options.replaces }] }),
    code: { coding: [options.code ?? { system: SNOMED, code: '871731000000106' }] },
    subject: { reference: `Patient/${patientId}` },
    authoredOn: options.authoredOn ?? '2026-01-15T09:00:00Z',
    ...(options.requester === undefined ? {} : { requester: { reference: options.requester } }),
    ...(options.performer === undefined ? {} : { performer: [{ reference: options.performer }] }),
    ...(options.reasons === undefined ? {} : { reasonCode: options.reasons.map(code => ({ coding: [{ system: CS('referral-reason'), code }] })) }),
    ...options.extra
  }
}

export function referralTask (referralId: string, patientId: string, owner: string, status = 'requested', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Task',
    meta: { profile: [PROFILE('sp-referral-task')] },
    status,
    intent: 'order',
    code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] },
    focus: { reference: `ServiceRequest/${referralId}` },
    for: { reference: `Patient/${patientId}` },
    authoredOn: '2026-01-15T09:05:00Z',
    requester: { reference: owner },
    owner: { reference: owner },
    ...extra
  }
}

export function journeyState (code: string): Record<string, unknown> {
  return { coding: [{ system: CS('journey-state'), code }] }
}

export function reason (code: string, text: string): Record<string, unknown> {
  return { coding: [{ system: CS('task-status-reason'), code }], text }
}

/** Moves a Task through statuses with PUT, returning the last reply. */
export async function moveTask (api: ReturnType<typeof client>, task: any, steps: Array<[string, Record<string, unknown>?]>): Promise<Reply> {
  let current = task
  let last: Reply = { status: 200, body: task }
  for (const [status, extra] of steps) {
    last = await api.put('Task', { ...current, status, ...extra })
    if (last.status !== 200) return last
    current = last.body
  }
  return last
}

export function outcome (instrument: { system: string, code: string }, patientId: string, value: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] }],
    code: { coding: [instrument] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: '2026-02-01T10:00:00Z',
    ...value,
    ...extra
  }
}

export const score = (value: number): Record<string, unknown> => ({ valueQuantity: { value, unit: 'score', system: 'http://unitsofmeasure.org', code: '{score}' } })

/** An sp-consent: `type` permit or deny, for one purpose of the consent-purpose CodeSystem. */
export function consent (patientId: string, organisationId: string, type: 'permit' | 'deny', purpose: string): Record<string, unknown> {
  return {
    resourceType: 'Consent',
    meta: { profile: [PROFILE('sp-consent')] },
    status: 'active',
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IDSCL' }] }],
    patient: { reference: `Patient/${patientId}` },
    dateTime: '2026-01-10T10:00:00Z',
    organization: [{ reference: `Organization/${organisationId}` }],
    policy: [{ uri: 'https://www.legislation.gov.uk/ukpga/2018/12' }],
    provision: { type, purpose: [{ system: CS('consent-purpose'), code: purpose }] }
  }
}
