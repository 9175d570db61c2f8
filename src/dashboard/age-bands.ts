/**
 * Age bands of the two reporting traditions the sources use (domain.md §1 item 10): the TCF
 * participant-profile template and the Social Prescribing Observatory's referral-rate bands.
 * The store keeps the date of birth; bands are derived per report, never stored.
 */

export interface AgeBand {
  /** Stable code, used as the MeasureReport stratum value. */
  readonly code: string
  readonly display: string
  readonly from: number
  /** Inclusive upper bound; absent for the open top band. */
  readonly to?: number
}

function band (from: number, to: number | undefined, display: string): AgeBand {
  return { code: to === undefined ? `${from}+` : `${from}-${to}`, display, from, ...(to === undefined ? {} : { to }) }
}

/** TCF participant-profile template [001:1821-1828]. */
export const TCF_AGE_BANDS: readonly AgeBand[] = [
  band(0, 15, 'Under 16'), band(16, 24, '16-24'), band(25, 49, '25-49'), band(50, 59, '50-59'),
  band(60, 69, '60-69'), band(70, 79, '70-79'), band(80, 89, '80-89'), band(90, undefined, '90+')
]

/** Social Prescribing Observatory referral rates per 10,000 [001:757]. */
export const OBSERVATORY_AGE_BANDS: readonly AgeBand[] = [
  band(0, 17, '0-17'), band(18, 39, '18-39'), band(40, 64, '40-64'), band(65, undefined, '65+')
]

export function bandOf (bands: readonly AgeBand[], age: number): AgeBand | undefined {
  return bands.find(b => age >= b.from && (b.to === undefined || age <= b.to))
}

/**
 * Completed years between a FHIR date of birth and a day. A birth date given as a year (or
 * year-month) only is taken as the middle of that period (1 July, or the 15th), the usual
 * convention for partial dates; undefined when the birth date is absent, malformed or after `on`.
 */
export function ageInYears (birthDate: string | undefined, on: string): number | undefined {
  if (birthDate === undefined) return undefined
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(birthDate)
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(on)
  if (match === null || day === null) return undefined
  const [year, month, dayOfMonth] = [Number(match[1]), Number(match[2] ?? 7), Number(match[3] ?? (match[2] === undefined ? 1 : 15))]
  const [onYear, onMonth, onDay] = [Number(day[1]), Number(day[2]), Number(day[3])]
  const birthdayPassed = onMonth > month || (onMonth === month && onDay >= dayOfMonth)
  const age = onYear - year - (birthdayPassed ? 0 : 1)
  return age < 0 ? undefined : age
}
