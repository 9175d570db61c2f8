/**
 * Practitioners and their roles: GPs and practice nurses (the main referrers, domain.md §5.1)
 * and social prescribing link workers (§2 row 8), each as a Practitioner plus a PractitionerRole,
 * because referrals and tasks point at the role (who acts for which organisation).
 */
import type { HealthcareService, Organization, Practitioner, PractitionerRole } from '@medplum/fhirtypes'
import { GATEWAY, GMC_NUMBER, NMC_NUMBER, PRACTITIONER_ROLE } from './code-systems.js'
import type { IdSource } from './ids.js'
import type { Random } from './prng.js'
import { referenceTo } from './references.js'
import { FAMILY_NAMES, GIVEN_NAMES } from './synthetic-names.js'

export type Profession = 'gp' | 'practice-nurse' | 'link-worker'

export interface StaffMember {
  readonly practitioner: Practitioner
  readonly role: PractitionerRole
}

const ROLE_CODES: Record<Profession, { system: string, code: string, display: string }> = {
  gp: { system: PRACTITIONER_ROLE, code: 'doctor', display: 'Doctor' },
  'practice-nurse': { system: PRACTITIONER_ROLE, code: 'nurse', display: 'Nurse' },
  // No HL7 or national role code for link workers in our references: gateway CodeSystem.
  'link-worker': { system: GATEWAY.practitionerRole, code: 'social-prescribing-link-worker', display: 'Social prescribing link worker' }
}

export interface StaffOptions {
  readonly profession: Profession
  readonly organisationId: string
  readonly healthcareServiceId?: string
  /** Sequence number, so professional registration numbers stay unique. */
  readonly serial: number
}

export function createStaffMember (random: Random, newId: IdSource, options: StaffOptions): StaffMember {
  const practitionerId = newId()
  const given = random.pick(random.chance(0.5) ? GIVEN_NAMES.female : GIVEN_NAMES.male)
  const practitioner: Practitioner = {
    resourceType: 'Practitioner',
    id: practitionerId,
    ...registration(options.profession, options.serial),
    active: true,
    name: [{ use: 'official', family: random.pick(FAMILY_NAMES), given: [given], ...(options.profession === 'gp' ? { prefix: ['Dr'] } : {}) }]
  }
  const role: PractitionerRole = {
    resourceType: 'PractitionerRole',
    id: newId(),
    active: true,
    practitioner: referenceTo<Practitioner>('Practitioner', practitionerId),
    organization: referenceTo<Organization>('Organization', options.organisationId),
    code: [{ coding: [ROLE_CODES[options.profession]] }],
    ...(options.healthcareServiceId === undefined ? {} : { healthcareService: [referenceTo<HealthcareService>('HealthcareService', options.healthcareServiceId)] })
  }
  return { practitioner, role }
}

/** GMC numbers are 7 digits; NMC PINs look like 12A3456E. Link workers are not registered. */
function registration (profession: Profession, serial: number): Pick<Practitioner, 'identifier'> {
  if (profession === 'gp') return { identifier: [{ system: GMC_NUMBER, value: String(7_000_000 + serial) }] }
  if (profession === 'practice-nurse') {
    const digits = String(serial % 10_000).padStart(4, '0')
    return { identifier: [{ system: NMC_NUMBER, value: `${String(10 + (serial % 90))}${'ABCDEFGHJK'[serial % 10] ?? 'A'}${digits}E` }] }
  }
  return {}
}
