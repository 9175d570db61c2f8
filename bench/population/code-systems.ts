/**
 * Every code system and identifier system the population uses. National and HL7 systems come
 * from /work/shared/reference/standards.md §(b) and the FHIR R4 base terminology. Where no
 * national code exists (standards.md §4.3: ONS4 items; §4.1: activity codes beyond the two
 * verified SNOMED codes), the code lives in a gateway CodeSystem under GATEWAY_CODE_SYSTEM_BASE.
 * Those CodeSystems are local stand-ins until NHSE's social prescribing refsets supply codes.
 */

export const NHS_NUMBER = 'https://fhir.nhs.uk/Id/nhs-number'
export const ODS_ORGANISATION = 'https://fhir.nhs.uk/Id/ods-organization-code'
export const GMC_NUMBER = 'https://fhir.hl7.org.uk/Id/gmc-number'
export const NMC_NUMBER = 'https://fhir.hl7.org.uk/Id/nmc-number'

export const SNOMED = 'http://snomed.info/sct'
export const UCUM = 'http://unitsofmeasure.org'
export const TASK_CODE = 'http://hl7.org/fhir/CodeSystem/task-code'
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category'
export const ORGANIZATION_TYPE = 'http://terminology.hl7.org/CodeSystem/organization-type'
export const PRACTITIONER_ROLE = 'http://terminology.hl7.org/CodeSystem/practitioner-role'
export const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical'
export const CONDITION_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status'
export const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category'

const GATEWAY_CODE_SYSTEM_BASE = 'https://fhir.socialprescribing.example/CodeSystem'

/** Gateway CodeSystems: no national code exists for these concepts (see the file comment). */
export const GATEWAY = {
  /** Task.businessStatus: the journey states of domain.md §4.2 (S1–S22). */
  journeyState: `${GATEWAY_CODE_SYSTEM_BASE}/journey-state`,
  /** Task.statusReason codes; Gravity requires the text as well (standards.md §3.3). */
  taskStatusReason: `${GATEWAY_CODE_SYSTEM_BASE}/task-status-reason`,
  /** TCF "Primary reason for referral" value set (domain.md §9.1, 001:1820-1827). */
  referralReason: `${GATEWAY_CODE_SYSTEM_BASE}/referral-reason`,
  /** TCF "Activity engaged" value set (domain.md §9.1, §6.1). */
  activityCategory: `${GATEWAY_CODE_SYSTEM_BASE}/activity-category`,
  /** Kinds of service in the directory: link-worker service or activity. */
  serviceKind: `${GATEWAY_CODE_SYSTEM_BASE}/service-kind`,
  /** Roles missing from the HL7 practitioner-role code system (link worker). */
  practitionerRole: `${GATEWAY_CODE_SYSTEM_BASE}/practitioner-role`,
  /** Long-term conditions named in domain.md §8.1/§5.2; SNOMED codes are not yet in our references. */
  longTermCondition: `${GATEWAY_CODE_SYSTEM_BASE}/long-term-condition`,
  /** ONS4 and SWEMWBS metric items that have no SNOMED code (standards.md §4.3). */
  outcomeMeasure: `${GATEWAY_CODE_SYSTEM_BASE}/outcome-measure`,
  /** Task.output types for attendance counts (TCF "regular" = at least 2/3 of sessions). */
  taskOutput: `${GATEWAY_CODE_SYSTEM_BASE}/task-output`
} as const

export const SOCIAL_PRESCRIBING_REFERRAL = { system: SNOMED, code: '871731000000106', display: 'Referral to social prescribing service' } as const
/** Gravity's ServiceRequest.category for community services (standards.md §3.3, §4.1). */
export const SOCIAL_SERVICE_PROCEDURE = { system: SNOMED, code: '410606002', display: 'Social service procedure' } as const
export const SOCIAL_ISOLATION = { system: SNOMED, code: '422650009', display: 'Social isolation' } as const
export const SWEMWBS_SCORE = { system: SNOMED, code: '718466001', display: 'Short Warwick-Edinburgh Mental Well-being Scale score' } as const
export const FULFILL = { system: TASK_CODE, code: 'fulfill' } as const
export const SURVEY = { system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' } as const
