/**
 * NHS ethnic category (UK Core Extension-UKCore-EthnicCategory, codes of the NHS Data
 * Dictionary ETHNIC CATEGORY) grouped into the TCF template's broad groups [001:1820-1828].
 */
import type { Patient } from '@medplum/fhirtypes'

export const ETHNIC_CATEGORY_EXTENSION = 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory'
export const ETHNIC_CATEGORY_SYSTEM = 'https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland'

export interface ProfileGroup { readonly code: string, readonly display: string }

export const ETHNIC_GROUPS = {
  white: { code: 'white', display: 'White' },
  black: { code: 'black', display: 'Black, Black British, Caribbean or African' },
  mixed: { code: 'mixed', display: 'Mixed/Multiple ethnic group' },
  asian: { code: 'asian', display: 'Asian/Asian British' },
  other: { code: 'other', display: 'Other ethnic group' },
  notStated: { code: 'preferred-not-to-identify', display: 'Preferred not to identify' }
} as const satisfies Record<string, ProfileGroup>

const BY_CATEGORY: Record<string, ProfileGroup> = {
  A: ETHNIC_GROUPS.white, B: ETHNIC_GROUPS.white, C: ETHNIC_GROUPS.white,
  D: ETHNIC_GROUPS.mixed, E: ETHNIC_GROUPS.mixed, F: ETHNIC_GROUPS.mixed, G: ETHNIC_GROUPS.mixed,
  H: ETHNIC_GROUPS.asian, J: ETHNIC_GROUPS.asian, K: ETHNIC_GROUPS.asian, L: ETHNIC_GROUPS.asian,
  M: ETHNIC_GROUPS.black, N: ETHNIC_GROUPS.black, P: ETHNIC_GROUPS.black,
  R: ETHNIC_GROUPS.other, S: ETHNIC_GROUPS.other,
  // Z "Not stated": the person was asked and chose not to say.
  Z: ETHNIC_GROUPS.notStated
}

/** The group of the patient's ethnic category; undefined when none is recorded (or unknown, "99"). */
export function ethnicGroupOf (patient: Patient): ProfileGroup | undefined {
  const extension = patient.extension?.find(e => e.url === ETHNIC_CATEGORY_EXTENSION)
  const coding = extension?.valueCodeableConcept?.coding?.find(c => c.system === ETHNIC_CATEGORY_SYSTEM)
  return coding?.code === undefined ? undefined : BY_CATEGORY[coding.code]
}
