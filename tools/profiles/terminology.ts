/**
 * The gateway's CodeSystems and ValueSets. Codes come from domain.md (journey states §4.2,
 * reasons §5.2 and §9.1, referral routes §5.1, activities §6.1) and standards.md (§2.3 NHS number
 * verification, §4.1/§4.3 SNOMED codes). Codes the synthetic population already uses keep their
 * spelling (bench/population/journey-codes.ts, referral-reason.ts, calibration.ts).
 */
import type { CodeSystem, ValueSet } from '@medplum/fhirtypes'
import { INSTRUMENTS } from '../../src/workflow/instruments.js'
import { VERIFICATION_STATUS_ENGLAND, VERIFICATION_STATUS_RETIRED } from '../../src/terminology/nhs-number.js'
import { GATEWAY_SYSTEM, SNOMED, valueSetUrl } from '../../src/terminology/systems.js'
import { metadata } from './metadata.js'
import { QUESTIONNAIRE_ANSWERS } from './questionnaires.js'
import { participantProfileConcepts } from '../../src/dashboard/profile-concepts.js'

type Concepts = Record<string, string | [string, string]>


function codeSystem (id: string, url: string, title: string, description: string, concepts: Concepts): CodeSystem {
  return {
    resourceType: 'CodeSystem',
    id,
    url,
    ...metadata(title, description),
    caseSensitive: true,
    content: 'complete',
    count: Object.keys(concepts).length,
    concept: Object.entries(concepts).map(([code, value]) => Array.isArray(value)
      ? { code, display: value[0], definition: value[1] }
      : { code, display: value })
  }
}

const JOURNEY_STATES: Concepts = {
  offered: ['Offered (S1)', 'Social prescribing was offered to the person'],
  declined: ['Declined (S2)', 'The person declined social prescribing'],
  referred: ['Referred (S3)', 'Referral received by the service'],
  ineligible: ['Ineligible (S4)', 'The referral failed the programme eligibility rules'],
  'returned-to-referrer': ['Returned as too complex (S5)', 'The service returned the referral: needs too complex or inappropriate'],
  waitlisted: ['Waitlisted (S6)', 'Waiting for a place'],
  contacted: ['Contacted (S7)', 'Contact made to arrange the initial appointment'],
  'initial-appointment': ['Initial appointment held (S8)', 'Initial appointment held'],
  'plan-agreed': ['Plan agreed (S9)', 'Personalised action plan agreed'],
  'onward-referred': ['Onward referred (S10)', 'Referred on to one or more activities or services'],
  'pre-engagement': ['Pre-engagement (S11)', 'Confidence building, reminders or taster before attending'],
  attending: ['Attending (S12)', 'Attended at least one session'],
  'not-attended': ['Not attended (S13)', 'Did not attend'],
  'engaged-regularly': ['Engaged regularly (S14)', 'Attending at least two thirds of the sessions prescribed'],
  'attending-irregularly': ['Attending irregularly (S14)', 'Attending fewer than two thirds of the sessions prescribed'],
  'activity-completed': ['Activity completed (S15)', 'The activity or course ended'],
  'follow-up': ['Follow-up (S16)', 'Re-assessed at follow-up; plan may be amended'],
  'review-6m': ['Six-month review (S17)', 'Six-month check held'],
  'review-12m': ['Twelve-month review (S18)', 'Twelve-month check held'],
  progressed: ['Progressed (S19)', 'Onward signposted or progressed, e.g. to volunteering'],
  'goals-achieved': ['Closed, goals achieved (S20)', 'Closed: all parties feel the goals have been achieved'],
  'dropped-out': ['Dropped out (S21)', 'Disengaged or withdrew'],
  escalated: ['Escalated (S23)', 'Escalated, e.g. a safeguarding concern']
}

const STATUS_REASONS: Concepts = {
  'waiting-list': 'On the waiting list',
  declined: 'Declined by the person',
  'too-complex': 'Needs too complex for the service; returned to the referrer',
  'not-contactable': 'Not contactable',
  'did-not-attend': 'Did not attend any session',
  'stopped-attending': 'Stopped attending the activity',
  'activities-not-attended': 'Did not attend the activities referred to',
  withdrew: 'Withdrew from social prescribing',
  'lost-to-follow-up': 'Lost to follow-up',
  'no-longer-required': 'No longer required',
  'referral-withdrawn': 'The referral was withdrawn',
  'age-out-of-range': 'Age outside the programme age range',
  'no-qualifying-condition': 'No qualifying long-term condition',
  'eligibility-unknown': 'Eligibility could not be established from the record',
  'goals-achieved': 'Goals achieved',
  other: 'Other'
}

const REFERRAL_REASONS: Concepts = {
  'loneliness-or-social-isolation': 'Loneliness or social isolation',
  'anxiety-or-depression': 'Anxiety or depression',
  'substance-misuse': 'Substance misuse',
  'domestic-abuse': 'Domestic abuse',
  unemployed: 'Unemployed',
  homelessness: 'Homelessness',
  'general-health-and-wellbeing': 'Other: general health and wellbeing',
  'money-or-debt': 'Money or debt',
  housing: 'Housing',
  'physical-activity': 'Physical activity',
  'carer-support': 'Carer support',
  'long-term-condition-self-management': 'Long-term condition self-management',
  bereavement: 'Bereavement',
  other: 'Other'
}

const REFERRAL_ROUTES: Concepts = {
  'link-worker': 'Link worker',
  'gp-practice': 'GP or practice staff',
  hospital: 'Hospital or secondary care',
  self: 'Self referral',
  'family-or-friend': 'Family or friend',
  'community-organisation': 'Community or VCS organisation',
  'social-care': 'Social care or local authority',
  school: 'School or youth service',
  other: 'Other'
}

const ACTIVITY_CATEGORIES: Concepts = {
  'arts-and-culture': 'Arts and culture',
  'natural-environment': 'Natural environment',
  'physical-activity': 'Physical activity',
  'financial-wellbeing': 'Financial wellbeing',
  'health-and-care': 'Health and care',
  'faith-group': 'Faith group',
  education: 'Education',
  vcs: 'VCS',
  'advice-and-practical-support': 'Advice and practical support (housing, benefits, care and repair)',
  'mental-health-support': 'Mental health support or counselling',
  'social-group': 'Social group or befriending'
}

const LONG_TERM_CONDITIONS: Concepts = {
  hypertension: 'Hypertension',
  diabetes: 'Diabetes',
  asthma: 'Asthma',
  copd: 'Chronic obstructive pulmonary disease',
  'coronary-heart-disease': 'Coronary heart disease',
  cardiomyopathy: 'Cardiomyopathy',
  fibromyalgia: 'Fibromyalgia',
  dementia: 'Dementia',
  'long-covid': 'Long COVID',
  'sight-loss': 'Sight loss',
  'chronic-pain': 'Chronic pain'
}

function outcomeMeasureConcepts (): Concepts {
  const concepts: Concepts = {}
  for (const instrument of INSTRUMENTS) {
    for (const coding of [instrument.code, ...instrument.items.map(i => i.code), ...instrument.derived.map(i => i.code)]) {
      if (coding.system === GATEWAY_SYSTEM.outcomeMeasure) concepts[coding.code as string] = coding.display as string
    }
  }
  return concepts
}

export function codeSystems (): CodeSystem[] {
  return [
    codeSystem('journey-state', GATEWAY_SYSTEM.journeyState, 'Social prescribing journey state', 'Task.businessStatus: the fine-grained journey states of a referral (domain.md §4.2, S1–S23).', JOURNEY_STATES),
    codeSystem('task-status-reason', GATEWAY_SYSTEM.taskStatusReason, 'Referral task status reason', 'Why a referral Task was rejected, cancelled, put on hold or failed, and why a referral was revoked.', STATUS_REASONS),
    codeSystem('referral-reason', GATEWAY_SYSTEM.referralReason, 'Social prescribing need', 'Reasons for referral: the TCF participant-profile template (001:1820-1827) plus the needs the NLCF paper and NASP research name.', REFERRAL_REASONS),
    codeSystem('referral-route', GATEWAY_SYSTEM.referralRoute, 'Social prescribing referral route', 'Who referred (domain.md §5.1); the TCF template values Link worker, Self referral and Other are included.', REFERRAL_ROUTES),
    codeSystem('activity-category', GATEWAY_SYSTEM.activityCategory, 'Social prescribing activity category', 'Kinds of activity an onward referral asks for (TCF "Activity engaged", domain.md §6.1).', ACTIVITY_CATEGORIES),
    codeSystem('service-kind', GATEWAY_SYSTEM.serviceKind, 'Social prescribing service kind', 'Kinds of HealthcareService in the directory.', { 'link-worker': 'Social prescribing link-worker service', activity: 'Social prescribing activity' }),
    codeSystem('practitioner-role', GATEWAY_SYSTEM.practitionerRole, 'Social prescribing practitioner role', 'Roles missing from the HL7 practitioner-role CodeSystem.', { 'social-prescribing-link-worker': 'Social prescribing link worker' }),
    codeSystem('long-term-condition', GATEWAY_SYSTEM.longTermCondition, 'Long-term condition', 'Long-term conditions that drive programme eligibility (domain.md §8.1, §5.2); local until SNOMED CT codes are verified.', LONG_TERM_CONDITIONS),
    codeSystem('outcome-measure', GATEWAY_SYSTEM.outcomeMeasure, 'Outcome measure', 'Outcome scores and items with no SNOMED CT code (standards.md §4.3). WEMWBS/SWEMWBS items carry labels only (licensed wording).', outcomeMeasureConcepts()),
    codeSystem('task-output', GATEWAY_SYSTEM.taskOutput, 'Referral task output', 'Task.output types.', { 'sessions-prescribed': 'Sessions prescribed', 'sessions-attended': 'Sessions attended', 'home-visits': 'Home visits', 'phone-calls': 'Phone calls', 'staff-hours': 'Staff time in hours', 'onward-referral': 'Onward referral made', 'outcome-observation': 'Outcome observation recorded' }),
    codeSystem('questionnaire-answer', GATEWAY_SYSTEM.questionnaireAnswer, 'Questionnaire answer', 'Answer options of the gateway Questionnaires.', Object.fromEntries(QUESTIONNAIRE_ANSWERS.map(a => [a.code, a.display]))),
    codeSystem('participant-profile', GATEWAY_SYSTEM.participantProfile, 'Participant profile report codes', 'Groups, stratifiers and strata of the ICS participant-profile MeasureReport (TCF template bands and groups, Observatory age bands, IMD deciles).', participantProfileConcepts()),
    codeSystem('consent-purpose', GATEWAY_SYSTEM.consentPurpose, 'Social prescribing consent purpose', 'What a Consent allows the record to be used for.', { 'vcfse-sharing': 'Sharing with VCFSE organisations delivering support', evaluation: 'Use in evaluation and outcome measurement', 'ics-aggregation': 'Profile data in ICS and national aggregates' }),
    {
      ...codeSystem('UKCore-NHSNumberVerificationStatusEngland', VERIFICATION_STATUS_ENGLAND, 'NHS Number Verification Status England', 'Copy of the UK Core CodeSystem (standards.md §2.3), held so codes can be checked offline.', {
        '01': 'Number present and verified',
        '02': 'Number present but not traced',
        '03': 'Trace required',
        '04': 'Trace attempted - No match or multiple match found',
        '05': 'Trace needs to be resolved - (NHS Number or patient detail conflict)',
        '06': 'Trace in progress',
        '07': 'Number not present and trace not required',
        '08': 'Trace postponed (baby under six weeks old)'
      }),
      publisher: 'HL7 UK'
    },
    {
      ...codeSystem('UKCore-NHSNumberVerificationStatus', VERIFICATION_STATUS_RETIRED, 'NHS Number Verification Status (retired)', 'Copy of the retired UK Core CodeSystem, still used by BaRS examples (standards.md §2.3); accepted, not emitted.', {
        'number-present-and-verified': 'Number present and verified',
        'number-present-but-not-traced': 'Number present but not traced',
        'trace-required': 'Trace required',
        'trace-attempted': 'Trace attempted - No match or multiple match found',
        'trace-needs-to-be-resolved': 'Trace needs to be resolved - (NHS Number or patient detail conflict)',
        'trace-in-progress': 'Trace in progress',
        'number-not-present-and-trace-not-required': 'Number not present and trace not required',
        'trace-postponed': 'Trace postponed (baby under six weeks old)',
        'number-present-and-traced-using-welsh-nhs-ar': 'Number present and traced using Welsh NHS AR'
      }),
      status: 'retired',
      publisher: 'HL7 UK'
    }
  ]
}

interface Include { readonly system: string, readonly concepts?: ReadonlyArray<readonly [string, string]> }

function valueSet (id: string, title: string, description: string, includes: readonly Include[]): ValueSet {
  return {
    resourceType: 'ValueSet',
    id,
    url: valueSetUrl(id),
    ...metadata(title, description),
    compose: {
      include: includes.map(include => ({
        system: include.system,
        ...(include.concepts === undefined ? {} : { concept: include.concepts.map(([code, display]) => ({ code, display })) })
      }))
    }
  }
}

export const SOCIAL_PRESCRIBING_REFERRAL = ['871731000000106', 'Referral to social prescribing service'] as const

export function valueSets (): ValueSet[] {
  const instrumentsBySystem = new Map<string, Array<[string, string]>>()
  for (const instrument of INSTRUMENTS) {
    const list = instrumentsBySystem.get(instrument.code.system as string) ?? []
    list.push([instrument.code.code as string, instrument.code.display as string])
    instrumentsBySystem.set(instrument.code.system as string, list)
  }
  return [
    valueSet('sp-referral-code', 'Social prescribing referral code', 'ServiceRequest.code of a social prescribing referral: SNOMED CT 871731000000106 for the referral to the service, and the activity categories of onward referrals.', [
      { system: SNOMED, concepts: [SOCIAL_PRESCRIBING_REFERRAL] },
      { system: GATEWAY_SYSTEM.activityCategory }
    ]),
    valueSet('sp-needs', 'Social prescribing needs', 'ServiceRequest.reasonCode: the needs a social prescribing referral addresses.', [
      { system: GATEWAY_SYSTEM.referralReason },
      { system: SNOMED, concepts: [['422650009', 'Social isolation']] }
    ]),
    valueSet('referral-route', 'Social prescribing referral route', 'Who made the referral.', [{ system: GATEWAY_SYSTEM.referralRoute }]),
    valueSet('journey-state', 'Social prescribing journey state', 'Task.businessStatus of a referral Task.', [{ system: GATEWAY_SYSTEM.journeyState }]),
    valueSet('task-status-reason', 'Referral task status reason', 'Task.statusReason of a referral Task and the reason a referral was revoked.', [{ system: GATEWAY_SYSTEM.taskStatusReason }]),
    valueSet('outcome-instrument', 'Social prescribing outcome instrument', 'Observation.code of an outcome score.', [...instrumentsBySystem].map(([system, concepts]) => ({ system, concepts }))),
    valueSet('long-term-condition', 'Long-term condition', 'Conditions programme eligibility may name.', [{ system: GATEWAY_SYSTEM.longTermCondition }]),
    valueSet('consent-purpose', 'Social prescribing consent purpose', 'Consent.provision.purpose of a social prescribing Consent.', [{ system: GATEWAY_SYSTEM.consentPurpose }]),
    valueSet('nhs-number-verification-status', 'NHS number verification status', 'The current England codes and the retired UK Core codes, both accepted (standards.md §2.3).', [
      { system: VERIFICATION_STATUS_ENGLAND },
      { system: VERIFICATION_STATUS_RETIRED }
    ])
  ]
}
