/**
 * One participant's profile as the TCF template and the ICS dashboard see it, derived from the
 * FHIR record: the Patient, their social prescribing referrals in the period and their
 * conditions. Pure: no store, no clock.
 */
import type { Condition, Patient, ServiceRequest } from '@medplum/fhirtypes'
import { GATEWAY_SYSTEM } from '../terminology/systems.js'
import { ageInYears, bandOf, OBSERVATORY_AGE_BANDS, TCF_AGE_BANDS, type AgeBand } from './age-bands.js'
import { ethnicGroupOf, type ProfileGroup } from './ethnicity.js'
import type { ImdLookup } from './imd-lookup.js'
import { classifyPostcode } from './postcode.js'

export interface ParticipantRecord {
  readonly patient: Patient
  /** The person's social prescribing referrals in the period, oldest first. */
  readonly referrals: readonly ServiceRequest[]
  readonly conditions: readonly Condition[]
}

export type Deprivation =
  | { readonly decile: number }
  | { readonly notDerivable: 'partial-postcode' | 'no-postcode' | 'not-in-lookup' }

export interface ParticipantProfile {
  readonly gender?: ProfileGroup
  /** Age bands at the first referral of the period. */
  readonly tcfAgeBand?: AgeBand
  readonly observatoryAgeBand?: AgeBand
  readonly ethnicity?: ProfileGroup
  readonly longTermCondition: boolean
  readonly mentalHealthNeed: boolean
  readonly deprivation: Deprivation
  /** Observatory age band at each referral, for referral rates (undefined: age not known). */
  readonly referralAgeBands: ReadonlyArray<AgeBand | undefined>
}

export const GENDER_GROUPS = {
  male: { code: 'male', display: 'Male' },
  female: { code: 'female', display: 'Female' },
  other: { code: 'another-way', display: 'Prefer to identify in another way' },
  // FHIR "unknown" covers both "not known" and "would rather not say"; the TCF template only
  // has the latter, so the two are reported together.
  unknown: { code: 'preferred-not-to-identify', display: 'Preferred not to identify' }
} as const satisfies Record<string, ProfileGroup>

const ACTIVE_CLINICAL_STATUS = new Set(['active', 'recurrence', 'relapse'])

export function profileOf (record: ParticipantRecord, imd: ImdLookup): ParticipantProfile {
  const { patient, referrals, conditions } = record
  const ageAt = (referral: ServiceRequest | undefined): number | undefined =>
    referral?.authoredOn === undefined ? undefined : ageInYears(patient.birthDate, referral.authoredOn)
  const firstAge = ageAt(referrals[0])
  return {
    ...(patient.gender === undefined ? {} : { gender: GENDER_GROUPS[patient.gender] }),
    ...(firstAge === undefined ? {} : { tcfAgeBand: bandOf(TCF_AGE_BANDS, firstAge), observatoryAgeBand: bandOf(OBSERVATORY_AGE_BANDS, firstAge) }),
    ...optional('ethnicity', ethnicGroupOf(patient)),
    longTermCondition: conditions.some(isActiveLongTermCondition),
    mentalHealthNeed: referrals.some(referral => hasReason(referral, 'anxiety-or-depression')),
    deprivation: deprivationOf(patient, imd),
    referralAgeBands: referrals.map(referral => {
      const age = ageAt(referral)
      return age === undefined ? undefined : bandOf(OBSERVATORY_AGE_BANDS, age)
    })
  }
}

function optional<K extends string, V> (key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : { [key]: value } as Record<K, V>
}

/** Only an active condition from the programme's long-term condition list counts. */
function isActiveLongTermCondition (condition: Condition): boolean {
  const status = condition.clinicalStatus?.coding?.[0]?.code
  return (status === undefined || ACTIVE_CLINICAL_STATUS.has(status)) &&
    condition.verificationStatus?.coding?.[0]?.code !== 'entered-in-error' &&
    (condition.code?.coding ?? []).some(c => c.system === GATEWAY_SYSTEM.longTermCondition)
}

function hasReason (referral: ServiceRequest, code: string): boolean {
  return (referral.reasonCode ?? []).some(reason => (reason.coding ?? []).some(c => c.system === GATEWAY_SYSTEM.referralReason && c.code === code))
}

/** The home address (else the first) decides; a partial postcode is never guessed from. */
function deprivationOf (patient: Patient, imd: ImdLookup): Deprivation {
  const addresses = patient.address ?? []
  const address = addresses.find(a => a.use === 'home' && a.period?.end === undefined) ?? addresses[0]
  const postcode = classifyPostcode(address?.postalCode)
  if (postcode.kind === 'missing') return { notDerivable: 'no-postcode' }
  if (postcode.kind === 'partial') return { notDerivable: 'partial-postcode' }
  const decile = imd(postcode.postcode)
  return decile === undefined ? { notDerivable: 'not-in-lookup' } : { decile }
}
