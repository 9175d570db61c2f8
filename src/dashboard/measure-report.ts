/**
 * The participant-profile summary as a FHIR MeasureReport (type summary): one group of
 * participants stratified by each profile attribute, one group of referrals stratified by
 * Observatory age band with the rate per 10,000 as the measure score. Every stratum carries its
 * numerator and denominator populations explicitly.
 */
import type { CodeableConcept, MeasureReport, MeasureReportGroupStratifierStratum } from '@medplum/fhirtypes'
import { GATEWAY_SYSTEM, UCUM } from '../terminology/systems.js'
import type { Period } from './gather-participants.js'
import { PROFILE_STRATIFIERS, type ProfileSummary, type Stratum } from './profile-summary.js'
import { REPORT_GROUPS } from './profile-concepts.js'

const MEASURE_POPULATION = 'http://terminology.hl7.org/CodeSystem/measure-population'

const profileCode = (code: string, display: string): CodeableConcept => ({ coding: [{ system: GATEWAY_SYSTEM.participantProfile, code, display }], text: display })
const population = (code: 'initial-population' | 'numerator' | 'denominator', count: number): { code: CodeableConcept, count: number } =>
  ({ code: { coding: [{ system: MEASURE_POPULATION, code }] }, count })

export function profileMeasureReport (measure: string, summary: ProfileSummary, period: Period, generatedAt: string): MeasureReport {
  return {
    resourceType: 'MeasureReport',
    status: 'complete',
    type: 'summary',
    measure,
    date: generatedAt,
    period: { start: period.start, end: period.end },
    group: [
      {
        code: profileCode(REPORT_GROUPS.participants.code, REPORT_GROUPS.participants.display),
        population: [population('initial-population', summary.participants)],
        stratifier: summary.stratifiers.map(stratifier => ({
          code: [profileCode(stratifier.code, stratifier.display)],
          stratum: stratifier.strata.map(shareStratum)
        }))
      },
      {
        code: profileCode(REPORT_GROUPS.referralRate.code, REPORT_GROUPS.referralRate.display),
        population: [population('initial-population', summary.referrals)],
        stratifier: [{
          code: [profileCode(PROFILE_STRATIFIERS.observatoryAgeBand.code, PROFILE_STRATIFIERS.observatoryAgeBand.display)],
          stratum: summary.referralRates.map(rate => ({
            value: profileCode(rate.band.code, rate.band.display),
            population: [population('numerator', rate.referrals), ...(rate.population === undefined ? [] : [population('denominator', rate.population)])],
            ...(rate.perTenThousand === undefined ? {} : { measureScore: { value: rate.perTenThousand, unit: 'per 10,000 population', system: UCUM, code: '/10*4' } })
          }))
        }]
      }
    ]
  }
}

function shareStratum (stratum: Stratum): MeasureReportGroupStratifierStratum {
  return {
    value: profileCode(stratum.code, stratum.display),
    population: [population('numerator', stratum.numerator), population('denominator', stratum.denominator)],
    // A proportion (0-1) to four places; none when the denominator is empty.
    ...(stratum.denominator === 0 ? {} : { measureScore: { value: Math.round(stratum.numerator / stratum.denominator * 10_000) / 10_000, unit: 'proportion', system: UCUM, code: '1' } })
  }
}
