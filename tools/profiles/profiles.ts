/**
 * The journey's profiles and extensions (issue 4). Structure goes here; rules that need numbers
 * or history (instrument ranges and item counts, Task transitions, eligibility) live in
 * src/workflow/ and apply whether or not a resource claims the profile. The profiles repeat the
 * cheap ones as invariants so a validator that only reads the profile still catches them.
 */
import type { Coding } from '@medplum/fhirtypes'
import { INSTRUMENTS, type Instrument } from '../../src/workflow/instruments.js'
import { EXTENSION, OBSERVATION_CATEGORY, profileUrl, TASK_CODE, valueSetUrl } from '../../src/terminology/systems.js'
import type { ElementRule, ProfileDefinition } from './snapshot.js'

const required = (id: string): ElementRule['binding'] => ({ strength: 'required', valueSet: valueSetUrl(id) })
const extensible = (id: string): ElementRule['binding'] => ({ strength: 'extensible', valueSet: valueSetUrl(id) })
const pattern = (coding: Coding): Record<string, unknown> => ({ patternCodeableConcept: { coding: [{ system: coding.system, code: coding.code }] } })

function extension (id: string, title: string, description: string, context: string, valueType: string, binding?: ElementRule['binding']): ProfileDefinition {
  const url = profileUrl(id)
  return {
    id,
    title,
    type: 'Extension',
    description,
    context: [context],
    rules: [
      { path: 'Extension', short: title, definition: description },
      { path: 'Extension.extension', max: '0' },
      { path: 'Extension.url', value: { fixedUri: url } },
      { path: 'Extension.value[x]', min: 1, types: [valueType], ...(binding === undefined ? {} : { binding }) }
    ]
  }
}

const STATUS_REASON_INVARIANT = {
  key: 'sp-task-1',
  severity: 'error' as const,
  human: 'statusReason with text is required when the task is rejected, cancelled, on hold or failed',
  expression: "(status = 'rejected' or status = 'cancelled' or status = 'on-hold' or status = 'failed') implies statusReason.text.exists()"
}

function outcomeProfile (instrument: Instrument): ProfileDefinition {
  const components = instrument.items.length + instrument.derived.length
  const range = instrument.value === undefined ? 'no single score' : `score ${instrument.value.min}–${instrument.value.max}`
  return {
    id: `sp-outcome-${instrument.id}`,
    title: `Social prescribing outcome: ${instrument.title}`,
    type: 'Observation',
    description: `${instrument.title} (${range}${instrument.items.length > 0 ? `; ${instrument.items.length} item components` : ''}). Ranges, item counts and totals are checked by the gateway for every Observation with this code (src/workflow/outcome-checks.ts).`,
    rules: [
      { path: 'Observation', constraint: [{ key: 'sp-obs-1', severity: 'error', human: 'An outcome score is a survey', expression: `category.coding.where(system = '${OBSERVATION_CATEGORY}' and code = 'survey').exists()` }] },
      { path: 'Observation.category', min: 1 },
      { path: 'Observation.code', value: pattern(instrument.code) },
      { path: 'Observation.subject', min: 1, targets: ['Patient'] },
      { path: 'Observation.effective[x]', min: 1, types: ['dateTime', 'Period'] },
      instrument.value === undefined
        ? { path: 'Observation.value[x]', max: '0' }
        : { path: 'Observation.value[x]', types: ['Quantity', 'integer'] },
      { path: 'Observation.derivedFrom', targets: ['QuestionnaireResponse', 'Observation'] },
      components === 0
        ? { path: 'Observation.component', max: '0' }
        : { path: 'Observation.component', min: instrument.itemsRequired ? instrument.items.length : 0, max: String(components) }
    ]
  }
}

export function profileDefinitions (): ProfileDefinition[] {
  return [
    extension('referral-route', 'Referral route', 'Who made a social prescribing referral (link worker, GP practice, hospital, self, family or friend, community organisation…).', 'ServiceRequest', 'CodeableConcept', required('referral-route')),
    extension('status-reason', 'Referral status reason', 'Why a referral was revoked or completed (R4 ServiceRequest has no statusReason).', 'ServiceRequest', 'CodeableConcept', extensible('task-status-reason')),
    extension('eligibility-age-range', 'Programme eligibility: age range', 'Ages (in whole years, inclusive) a programme accepts, e.g. 18–75.', 'HealthcareService', 'Range'),
    extension('eligibility-qualifying-condition', 'Programme eligibility: qualifying condition', 'A condition of which a referred person must have at least one (repeat for a list).', 'HealthcareService', 'CodeableConcept'),
    {
      id: 'sp-referral',
      title: 'Social prescribing referral',
      type: 'ServiceRequest',
      description: 'A referral to a social prescribing service (SNOMED CT 871731000000106), or an onward referral to an activity (basedOn the parent referral). Re-referral names the earlier episode in replaces. The referral route is the referral-route extension.',
      rules: [
        { path: 'ServiceRequest', constraint: [{ key: 'sp-sr-1', severity: 'error', human: 'At most one referral route', expression: `extension.where(url = '${EXTENSION.referralRoute}').count() <= 1` }] },
        { path: 'ServiceRequest.basedOn', targets: ['ServiceRequest'], short: 'The parent referral of an onward referral' },
        { path: 'ServiceRequest.replaces', targets: ['ServiceRequest'], short: 'The earlier episode this re-referral follows' },
        { path: 'ServiceRequest.code', min: 1, binding: required('sp-referral-code') },
        { path: 'ServiceRequest.subject', targets: ['Patient'] },
        { path: 'ServiceRequest.authoredOn', min: 1 },
        { path: 'ServiceRequest.requester', targets: ['PractitionerRole', 'Organization', 'Patient', 'RelatedPerson'] },
        { path: 'ServiceRequest.performer', targets: ['HealthcareService', 'Organization'] },
        { path: 'ServiceRequest.reasonCode', binding: required('sp-needs') }
      ]
    },
    {
      id: 'sp-referral-task',
      title: 'Social prescribing referral task',
      type: 'Task',
      description: 'The work an organisation does on a referral, in the Gravity closed-loop style: code fulfill, focus the ServiceRequest, for the Patient, owner the acting organisation, businessStatus the journey state. Status moves on the Gravity state machine (src/workflow/task-states.ts); statusReason is required when rejected, cancelled, on hold or failed.',
      rules: [
        { path: 'Task', constraint: [STATUS_REASON_INVARIANT, { key: 'sp-task-2', severity: 'error', human: 'Referral tasks do not use ready or received', expression: "status != 'ready' and status != 'received'" }] },
        { path: 'Task.partOf', targets: ['Task'] },
        { path: 'Task.statusReason', binding: extensible('task-status-reason') },
        { path: 'Task.businessStatus', binding: required('journey-state') },
        { path: 'Task.intent', value: { fixedCode: 'order' } },
        { path: 'Task.code', min: 1, value: pattern({ system: TASK_CODE, code: 'fulfill' }) },
        { path: 'Task.focus', min: 1, targets: ['ServiceRequest'] },
        { path: 'Task.for', min: 1, targets: ['Patient'] },
        { path: 'Task.authoredOn', min: 1 },
        { path: 'Task.requester', min: 1, targets: ['PractitionerRole', 'Organization', 'Patient', 'RelatedPerson'] },
        { path: 'Task.owner', targets: ['Organization', 'PractitionerRole', 'HealthcareService'] }
      ]
    },
    ...INSTRUMENTS.map(outcomeProfile),
    {
      id: 'sp-consent',
      title: 'Social prescribing consent',
      type: 'Consent',
      description: 'Consent to share the record with VCFSE organisations delivering support, to use it in evaluation, or to include the profile in ICS aggregates (provision.purpose).',
      rules: [
        { path: 'Consent', constraint: [{ key: 'sp-consent-1', severity: 'error', human: 'Information disclosure consent (v3-ActCode IDSCL)', expression: "category.coding.where(system = 'http://terminology.hl7.org/CodeSystem/v3-ActCode' and code = 'IDSCL').exists()" }] },
        { path: 'Consent.scope', value: pattern({ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }) },
        { path: 'Consent.category', min: 1 },
        { path: 'Consent.patient', min: 1, targets: ['Patient'] },
        { path: 'Consent.dateTime', min: 1 },
        { path: 'Consent.organization', min: 1, targets: ['Organization'] },
        { path: 'Consent.provision', min: 1 },
        { path: 'Consent.provision.purpose', min: 1, binding: required('consent-purpose') }
      ]
    },
    {
      id: 'sp-condition',
      title: 'Social prescribing long-term condition',
      type: 'Condition',
      description: 'A long-term condition that programme eligibility may name.',
      rules: [
        { path: 'Condition.clinicalStatus', min: 1 },
        { path: 'Condition.code', min: 1, binding: required('long-term-condition') },
        { path: 'Condition.subject', targets: ['Patient'] }
      ]
    },
    {
      id: 'sp-programme',
      title: 'Social prescribing programme',
      type: 'HealthcareService',
      description: 'A social prescribing programme or service. Eligibility is configuration: the eligibility-age-range extension (at most one) and eligibility-qualifying-condition extensions (the person needs at least one).',
      rules: [
        { path: 'HealthcareService', constraint: [{ key: 'sp-prog-1', severity: 'error', human: 'At most one eligibility age range', expression: `extension.where(url = '${EXTENSION.eligibilityAgeRange}').count() <= 1` }] },
        { path: 'HealthcareService.providedBy', min: 1 }
      ]
    }
  ]
}
