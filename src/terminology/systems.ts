/**
 * Canonical URLs of the gateway's own conformance resources and the national systems the journey
 * rules read. Gateway CodeSystems stand in where no national code exists (standards.md §4.1, §4.3);
 * their base matches the synthetic population's (bench/population/code-systems.ts).
 */
export const GATEWAY_BASE = 'https://fhir.socialprescribing.example'

export const codeSystemUrl = (name: string): string => `${GATEWAY_BASE}/CodeSystem/${name}`
export const valueSetUrl = (name: string): string => `${GATEWAY_BASE}/ValueSet/${name}`
export const profileUrl = (name: string): string => `${GATEWAY_BASE}/StructureDefinition/${name}`
export const measureUrl = (name: string): string => `${GATEWAY_BASE}/Measure/${name}`
export const questionnaireUrl = (name: string): string => `${GATEWAY_BASE}/Questionnaire/${name}`

export const SNOMED = 'http://snomed.info/sct'
export const UCUM = 'http://unitsofmeasure.org'
export const TASK_CODE = 'http://hl7.org/fhir/CodeSystem/task-code'
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category'
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number'

/** Gateway CodeSystems, by what they code. */
export const GATEWAY_SYSTEM = {
  journeyState: codeSystemUrl('journey-state'),
  taskStatusReason: codeSystemUrl('task-status-reason'),
  referralReason: codeSystemUrl('referral-reason'),
  referralRoute: codeSystemUrl('referral-route'),
  activityCategory: codeSystemUrl('activity-category'),
  serviceKind: codeSystemUrl('service-kind'),
  practitionerRole: codeSystemUrl('practitioner-role'),
  longTermCondition: codeSystemUrl('long-term-condition'),
  outcomeMeasure: codeSystemUrl('outcome-measure'),
  taskOutput: codeSystemUrl('task-output'),
  questionnaireAnswer: codeSystemUrl('questionnaire-answer'),
  consentPurpose: codeSystemUrl('consent-purpose'),
  participantProfile: codeSystemUrl('participant-profile')
} as const

/** Gateway extensions. */
export const EXTENSION = {
  referralRoute: profileUrl('referral-route'),
  statusReason: profileUrl('status-reason'),
  eligibilityAgeRange: profileUrl('eligibility-age-range'),
  eligibilityCondition: profileUrl('eligibility-qualifying-condition')
} as const
