/**
 * A synthetic person: test-range NHS number, synthetic name, gender and age drawn to the
 * calibration, postcode district only, registered with a GP practice; plus Conditions for the
 * long-term conditions some of them live with.
 */
import type { Condition, Organization, Patient } from '@medplum/fhirtypes'
import { AGE_BAND, AGE_RANGE, GENDER, LONG_TERM_CONDITION_SHARE, LONG_TERM_CONDITIONS, SECOND_CONDITION_SHARE } from './calibration.js'
import { CONDITION_CATEGORY, CONDITION_CLINICAL, CONDITION_VERIFICATION, GATEWAY, NHS_NUMBER } from './code-systems.js'
import type { IdSource } from './ids.js'
import type { Random } from './prng.js'
import { referenceTo } from './references.js'
import { FAMILY_NAMES, GIVEN_NAMES } from './synthetic-names.js'
import { addDays, fhirDate, fhirDateTime, duringWorkingHours } from './time.js'

export interface PatientOptions {
  readonly nhsNumber: string
  readonly practiceId: string
  readonly postcodeDistricts: readonly string[]
  /** The first referral: age is drawn for that moment. */
  readonly firstReferralAt: number
}

export interface GeneratedPatient {
  readonly patient: Patient
  readonly conditions: readonly Condition[]
}

const CONDITION_DISPLAY: Record<keyof typeof LONG_TERM_CONDITIONS, string> = {
  hypertension: 'Hypertension',
  diabetes: 'Diabetes',
  asthma: 'Asthma',
  copd: 'Chronic obstructive pulmonary disease',
  'coronary-heart-disease': 'Coronary heart disease',
  fibromyalgia: 'Fibromyalgia',
  dementia: 'Dementia',
  'long-covid': 'Long COVID',
  'sight-loss': 'Sight loss',
  'chronic-pain': 'Chronic pain'
}

export function createPatient (random: Random, newId: IdSource, options: PatientOptions): GeneratedPatient {
  const id = newId()
  const gender = random.weighted(GENDER)
  const [minAge, maxAge] = AGE_RANGE[random.weighted(AGE_BAND)]
  const birth = addDays(options.firstReferralAt, -(random.int(minAge, maxAge) * 365.25 + random.int(0, 364)))
  const givenNames = gender === 'female' ? GIVEN_NAMES.female : gender === 'male' ? GIVEN_NAMES.male : GIVEN_NAMES.neutral
  const patient: Patient = {
    resourceType: 'Patient',
    id,
    identifier: [{ system: NHS_NUMBER, value: options.nhsNumber }],
    name: [{ use: 'official', family: random.pick(FAMILY_NAMES), given: [random.pick(givenNames)] }],
    gender,
    birthDate: fhirDate(birth),
    address: [{ use: 'home', postalCode: random.pick(options.postcodeDistricts) }],
    generalPractitioner: [referenceTo<Organization>('Organization', options.practiceId)]
  }

  const conditions: Condition[] = []
  if (random.chance(LONG_TERM_CONDITION_SHARE)) {
    const first = random.weighted(LONG_TERM_CONDITIONS)
    const codes = [first]
    const second = random.weighted(LONG_TERM_CONDITIONS)
    if (random.chance(SECOND_CONDITION_SHARE) && second !== first) codes.push(second)
    // Diagnosed some time between the 10th birthday and the referral.
    const tenthBirthday = addDays(birth, 3652)
    for (const code of codes) {
      const recordedAt = duringWorkingHours(random, tenthBirthday + random.next() * (options.firstReferralAt - tenthBirthday))
      conditions.push(longTermCondition(newId(), id, code, recordedAt))
    }
  }
  return { patient, conditions }
}

function longTermCondition (id: string, patientId: string, code: keyof typeof LONG_TERM_CONDITIONS, recordedAt: number): Condition {
  return {
    resourceType: 'Condition',
    id,
    clinicalStatus: { coding: [{ system: CONDITION_CLINICAL, code: 'active' }] },
    verificationStatus: { coding: [{ system: CONDITION_VERIFICATION, code: 'confirmed' }] },
    category: [{ coding: [{ system: CONDITION_CATEGORY, code: 'problem-list-item' }] }],
    // SNOMED codes for these conditions are not yet in our verified references (standards.md);
    // a gateway code plus text keeps them recognisable until a terminology task maps them.
    code: { coding: [{ system: GATEWAY.longTermCondition, code, display: CONDITION_DISPLAY[code] }], text: CONDITION_DISPLAY[code] },
    subject: referenceTo<Patient>('Patient', patientId),
    recordedDate: fhirDateTime(recordedAt)
  }
}
