/**
 * The ICS dashboard's participant-profile measure (SC-18; TCF Recommendation 7, domain.md §9):
 * who is referred to social prescribing, by the TCF template's attributes, with deprivation from
 * full postcodes and referral rates per 10,000 by age band.
 */
import type { MeasureReport } from '@medplum/fhirtypes'
import type { Queryable } from '../store/database.js'
import type { SearchSettings } from '../fhir/search/execute.js'
import { measureUrl } from '../terminology/systems.js'
import type { EvaluateMeasureInput } from './evaluate-input.js'
import { gatherParticipants } from './gather-participants.js'
import type { ImdLookup } from './imd-lookup.js'
import { profileMeasureReport } from './measure-report.js'
import { profileOf } from './participant-profile.js'
import { summariseProfiles } from './profile-summary.js'

export const PARTICIPANT_PROFILE_MEASURE = { id: 'sp-participant-profile', url: measureUrl('sp-participant-profile') } as const

export async function evaluateParticipantProfile (
  q: Queryable, search: SearchSettings, imd: ImdLookup, input: EvaluateMeasureInput, now: Date
): Promise<MeasureReport> {
  const records = await gatherParticipants(q, search, input.period)
  const summary = summariseProfiles(records.map(record => profileOf(record, imd)), input.population)
  return profileMeasureReport(PARTICIPANT_PROFILE_MEASURE.url, summary, input.period, now.toISOString())
}
