/**
 * Aggregates participant profiles into the ICS dashboard's figures: shares with explicit
 * denominators, and referral rates per 10,000 population by Observatory age band.
 *
 * Denominator rule, per stratifier: a recorded value's share is over the participants with a
 * value recorded for that attribute ("Preferred not to identify" is a recorded answer); the
 * "not recorded" (or "not derivable") count is over all participants. Every stratum carries its
 * numerator and denominator, so no consumer has to guess which base a percentage used.
 */
import { OBSERVATORY_AGE_BANDS, TCF_AGE_BANDS, type AgeBand } from './age-bands.js'
import { ETHNIC_GROUPS, type ProfileGroup } from './ethnicity.js'
import { GENDER_GROUPS, type ParticipantProfile } from './participant-profile.js'

export interface Stratum {
  readonly code: string
  readonly display: string
  readonly numerator: number
  readonly denominator: number
}

export interface Stratifier {
  readonly code: string
  readonly display: string
  readonly strata: readonly Stratum[]
}

export interface ReferralRate {
  readonly band: AgeBand
  readonly referrals: number
  /** The band's population, when the caller supplied it. */
  readonly population?: number
  readonly perTenThousand?: number
}

export interface ProfileSummary {
  readonly participants: number
  readonly referrals: number
  readonly stratifiers: readonly Stratifier[]
  readonly referralRates: readonly ReferralRate[]
  /** Referrals whose person's age at referral is not known: outside every rate. */
  readonly referralsWithoutAge: number
}

export const NOT_RECORDED: ProfileGroup = { code: 'not-recorded', display: 'Not recorded' }
export const NOT_DERIVABLE: ProfileGroup = { code: 'not-derivable', display: 'Not derivable (no full postcode, or not in the lookup)' }
export const YES: ProfileGroup = { code: 'yes', display: 'Yes' }
export const NO: ProfileGroup = { code: 'no', display: 'No' }

export const IMD_DECILES: readonly ProfileGroup[] = Array.from({ length: 10 }, (_, i) =>
  ({ code: String(i + 1), display: `IMD decile ${i + 1}${i === 0 ? ' (most deprived)' : i === 9 ? ' (least deprived)' : ''}` }))

/** The attributes participants are stratified by (the TCF template's columns, domain.md §9.1). */
export const PROFILE_STRATIFIERS = {
  gender: { code: 'gender', display: 'Gender' },
  tcfAgeBand: { code: 'tcf-age-band', display: 'Age band (TCF template)' },
  observatoryAgeBand: { code: 'observatory-age-band', display: 'Age band (Social Prescribing Observatory)' },
  ethnicity: { code: 'ethnicity', display: 'Ethnicity' },
  longTermCondition: { code: 'long-term-condition', display: 'Long-term health condition or disability' },
  mentalHealthNeed: { code: 'mental-health-need', display: 'Mental health support needs' },
  imdDecile: { code: 'imd-decile', display: 'IMD decile (from full postcodes only)' }
} as const satisfies Record<string, ProfileGroup>

/** Population by Observatory age band code (e.g. `65+` → 41250). */
export type PopulationByBand = ReadonlyMap<string, number>

export function summariseProfiles (profiles: readonly ParticipantProfile[], population: PopulationByBand): ProfileSummary {
  const referralAgeBands = profiles.flatMap(p => p.referralAgeBands)
  return {
    participants: profiles.length,
    referrals: referralAgeBands.length,
    stratifiers: [
      stratify(PROFILE_STRATIFIERS.gender, profiles, Object.values(GENDER_GROUPS), p => p.gender, NOT_RECORDED),
      stratify(PROFILE_STRATIFIERS.tcfAgeBand, profiles, TCF_AGE_BANDS, p => p.tcfAgeBand, NOT_RECORDED),
      stratify(PROFILE_STRATIFIERS.observatoryAgeBand, profiles, OBSERVATORY_AGE_BANDS, p => p.observatoryAgeBand, NOT_RECORDED),
      stratify(PROFILE_STRATIFIERS.ethnicity, profiles, Object.values(ETHNIC_GROUPS), p => p.ethnicity, NOT_RECORDED),
      stratify(PROFILE_STRATIFIERS.longTermCondition, profiles, [YES, NO], p => p.longTermCondition ? YES : NO, NOT_RECORDED),
      stratify(PROFILE_STRATIFIERS.mentalHealthNeed, profiles, [YES, NO], p => p.mentalHealthNeed ? YES : NO, NOT_RECORDED),
      stratify(PROFILE_STRATIFIERS.imdDecile, profiles, IMD_DECILES,
        p => 'decile' in p.deprivation ? IMD_DECILES[p.deprivation.decile - 1] : undefined, NOT_DERIVABLE)
    ],
    referralRates: OBSERVATORY_AGE_BANDS.map(band => rateFor(band, referralAgeBands.filter(b => b?.code === band.code).length, population.get(band.code))),
    referralsWithoutAge: referralAgeBands.filter(b => b === undefined).length
  }
}

function stratify (
  { code, display }: ProfileGroup, profiles: readonly ParticipantProfile[], groups: readonly ProfileGroup[],
  valueOf: (profile: ParticipantProfile) => ProfileGroup | undefined, missing: ProfileGroup
): Stratifier {
  const counts = new Map<string, number>()
  let unrecorded = 0
  for (const profile of profiles) {
    const value = valueOf(profile)
    if (value === undefined) unrecorded += 1
    else counts.set(value.code, (counts.get(value.code) ?? 0) + 1)
  }
  const recorded = profiles.length - unrecorded
  return {
    code,
    display,
    strata: [
      ...groups.map(group => ({ code: group.code, display: group.display, numerator: counts.get(group.code) ?? 0, denominator: recorded })),
      { code: missing.code, display: missing.display, numerator: unrecorded, denominator: profiles.length }
    ]
  }
}

function rateFor (band: AgeBand, referrals: number, population: number | undefined): ReferralRate {
  if (population === undefined || population <= 0) return { band, referrals }
  // Two decimals, as the Observatory publishes them (e.g. 9.16 per 10,000 for 65+).
  return { band, referrals, population, perTenThousand: Math.round(referrals / population * 10_000 * 100) / 100 }
}
