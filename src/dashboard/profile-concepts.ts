/**
 * Every code the participant-profile MeasureReport uses for its groups, stratifiers and strata,
 * for the gateway CodeSystem `participant-profile` (tools/profiles builds it from this list, so
 * the report and the published CodeSystem cannot drift apart).
 */
import { OBSERVATORY_AGE_BANDS, TCF_AGE_BANDS } from './age-bands.js'
import { ETHNIC_GROUPS, type ProfileGroup } from './ethnicity.js'
import { GENDER_GROUPS } from './participant-profile.js'
import { IMD_DECILES, NO, NOT_DERIVABLE, NOT_RECORDED, PROFILE_STRATIFIERS, YES } from './profile-summary.js'

export const REPORT_GROUPS = {
  participants: { code: 'participants', display: 'People referred to social prescribing in the period' },
  referralRate: { code: 'referral-rate', display: 'Referrals per 10,000 population by age band' }
} as const satisfies Record<string, ProfileGroup>

export function participantProfileConcepts (): Record<string, string> {
  const groups: ProfileGroup[] = [
    ...Object.values(REPORT_GROUPS), ...Object.values(PROFILE_STRATIFIERS), ...Object.values(GENDER_GROUPS),
    ...TCF_AGE_BANDS.map(b => ({ code: b.code, display: `${b.display} (TCF)` })),
    ...OBSERVATORY_AGE_BANDS.map(b => ({ code: b.code, display: `${b.display} (Observatory)` })),
    ...Object.values(ETHNIC_GROUPS), YES, NO, ...IMD_DECILES, NOT_RECORDED, NOT_DERIVABLE
  ]
  const concepts: Record<string, string> = {}
  for (const group of groups) {
    if (concepts[group.code] !== undefined && concepts[group.code] !== group.display) throw new Error(`participant-profile code ${group.code} has two meanings`)
    concepts[group.code] = group.display
  }
  return concepts
}
