/**
 * Programme eligibility as configuration (domain.md §1 item 4): a programme (HealthcareService)
 * may declare an inclusive age range in years and qualifying conditions, of which the person must
 * have at least one. Thrive NEL: 18–75 and one of its long-term conditions; Ways to Wellness:
 * 40–74. A referral that fails gets its Task rejected with a coded reason, not an error.
 */
import type { CodeableConcept, Coding, Condition, HealthcareService, Patient, Range } from '@medplum/fhirtypes'
import { EXTENSION, GATEWAY_SYSTEM } from '../terminology/systems.js'

export interface EligibilityRules {
  readonly minAge: number | undefined
  readonly maxAge: number | undefined
  /** Empty: no condition is required. */
  readonly conditions: readonly Coding[]
}

export type EligibilityResult =
  | { readonly eligible: true }
  | { readonly eligible: false, readonly reason: CodeableConcept }

/** The rules a programme declares, or undefined when it declares none. */
export function eligibilityRules (programme: HealthcareService): EligibilityRules | undefined {
  const extensions = programme.extension ?? []
  const range = extensions.find(e => e.url === EXTENSION.eligibilityAgeRange)?.valueRange as Range | undefined
  const conditions = extensions
    .filter(e => e.url === EXTENSION.eligibilityCondition)
    .flatMap(e => e.valueCodeableConcept?.coding ?? [])
  if (range === undefined && conditions.length === 0) return undefined
  return { minAge: range?.low?.value, maxAge: range?.high?.value, conditions }
}

/** Whole years between a birth date (YYYY, YYYY-MM or YYYY-MM-DD) and a date. */
export function ageInYears (birthDate: string, at: Date): number | undefined {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(birthDate)
  if (match === null) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2] ?? 1), Number(match[3] ?? 1)]
  let age = at.getUTCFullYear() - year
  if (at.getUTCMonth() + 1 < month || (at.getUTCMonth() + 1 === month && at.getUTCDate() < day)) age -= 1
  return age
}

export function checkEligibility (rules: EligibilityRules, programmeName: string, patient: Patient | undefined, conditions: readonly Condition[], at: Date): EligibilityResult {
  if (rules.minAge !== undefined || rules.maxAge !== undefined) {
    const age = patient?.birthDate === undefined ? undefined : ageInYears(patient.birthDate, at)
    const range = `${rules.minAge ?? 0}–${rules.maxAge ?? 'any'}`
    if (age === undefined) return rejected('eligibility-unknown', `No birth date recorded, so the age range ${range} of ${programmeName} cannot be checked`)
    if ((rules.minAge !== undefined && age < rules.minAge) || (rules.maxAge !== undefined && age > rules.maxAge)) {
      return rejected('age-out-of-range', `Age ${age} is outside the age range ${range} of ${programmeName}`)
    }
  }
  if (rules.conditions.length > 0) {
    const qualifying = conditions.some(condition => isActive(condition) && (condition.code?.coding ?? []).some(coding =>
      rules.conditions.some(wanted => wanted.system === coding.system && wanted.code === coding.code)))
    if (!qualifying) {
      const names = rules.conditions.map(c => c.display ?? c.code).join(', ')
      return rejected('no-qualifying-condition', `No qualifying condition recorded for ${programmeName} (needs one of: ${names})`)
    }
  }
  return { eligible: true }
}

function isActive (condition: Condition): boolean {
  if (condition.verificationStatus?.coding?.some(c => c.code === 'entered-in-error' || c.code === 'refuted') === true) return false
  const clinical = condition.clinicalStatus?.coding?.map(c => c.code) ?? []
  return clinical.length === 0 || clinical.some(code => code === 'active' || code === 'recurrence' || code === 'relapse')
}

function rejected (code: string, text: string): EligibilityResult {
  return { eligible: false, reason: { coding: [{ system: GATEWAY_SYSTEM.taskStatusReason, code }], text } }
}
