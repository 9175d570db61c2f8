/**
 * NHS numbers (standards.md §2.4): ten digits, the last a Modulus 11 check digit. Weights 10…2
 * over digits 1–9; the check digit is 11 − remainder, where 11 becomes 0 and 10 means the
 * first nine digits can never form a valid number.
 */
const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const

/** The check digit for nine leading digits, or undefined when none exists. */
export function nhsCheckDigit (firstNine: string): number | undefined {
  let sum = 0
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (WEIGHTS[i] as number)
  const check = 11 - (sum % 11)
  if (check === 10) return undefined
  return check === 11 ? 0 : check
}

export function isValidNhsNumber (value: string): boolean {
  return /^\d{10}$/.test(value) && nhsCheckDigit(value.slice(0, 9)) === Number(value[9])
}

/** Why a value is not an NHS number, in words a client can act on; undefined when it is one. */
export function nhsNumberProblem (value: string): string | undefined {
  if (!/^\d{10}$/.test(value)) return 'An NHS number is exactly ten digits, with no spaces'
  if (nhsCheckDigit(value.slice(0, 9)) !== Number(value[9])) return 'NHS number fails the Modulus 11 check digit'
  return undefined
}

/**
 * Verification status code systems: UK Core's current England system (01–08) and the retired
 * one that BaRS examples still use (standards.md §2.3). Both are accepted.
 */
export const VERIFICATION_STATUS_EXTENSION = 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus'
export const VERIFICATION_STATUS_ENGLAND = 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland'
export const VERIFICATION_STATUS_RETIRED = 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatus'
