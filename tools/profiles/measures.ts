/**
 * The Measures the gateway evaluates (Measure/{id}/$evaluate-measure), published so dashboards
 * can discover what each report contains.
 */
import type { Expression, Measure } from '@medplum/fhirtypes'
import { PARTICIPANT_PROFILE_MEASURE } from '../../src/dashboard/participant-profile-measure.js'
import { REPORT_GROUPS } from '../../src/dashboard/profile-concepts.js'
import { PROFILE_STRATIFIERS } from '../../src/dashboard/profile-summary.js'
import { GATEWAY_SYSTEM } from '../../src/terminology/systems.js'
import { metadata } from './metadata.js'

const code = (group: { code: string, display: string }): { coding: Array<{ system: string, code: string, display: string }>, text: string } =>
  ({ coding: [{ system: GATEWAY_SYSTEM.participantProfile, code: group.code, display: group.display }], text: group.display })

// The population as a FHIR search; the period bounds come from the operation's periodStart/periodEnd.
const REFERRALS_IN_PERIOD: Expression = { language: 'application/x-fhir-query', expression: 'ServiceRequest?code=http://snomed.info/sct|871731000000106&_include=ServiceRequest:subject' }

export function measures (): Measure[] {
  return [{
    resourceType: 'Measure',
    id: PARTICIPANT_PROFILE_MEASURE.id,
    url: PARTICIPANT_PROFILE_MEASURE.url,
    ...metadata('Social prescribing participant profile',
      'Who is referred to social prescribing (SC-18; TCF Recommendation 7): people referred in the period by gender, age band (TCF and Social Prescribing Observatory), ethnicity, long-term condition, mental health need and IMD decile from full postcodes only; referrals per 10,000 population by Observatory age band (populations passed as the `population` parameter, `<band>:<people>`). Each stratum carries its numerator and denominator: a recorded value is a share of the people with that attribute recorded; "not recorded"/"not derivable" is a share of everyone.'),
    scoring: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-scoring', code: 'proportion' }] },
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-type', code: 'structure' }] }],
    group: [
      {
        code: code(REPORT_GROUPS.participants),
        population: [{ code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-population', code: 'initial-population' }] }, description: 'People with a social prescribing referral (SNOMED CT 871731000000106) authored in the period', criteria: REFERRALS_IN_PERIOD }],
        stratifier: Object.values(PROFILE_STRATIFIERS).map(stratifier => ({ code: code(stratifier) }))
      },
      {
        code: code(REPORT_GROUPS.referralRate),
        population: [{ code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-population', code: 'initial-population' }] }, description: 'Social prescribing referrals authored in the period', criteria: REFERRALS_IN_PERIOD }],
        stratifier: [{ code: code(PROFILE_STRATIFIERS.observatoryAgeBand) }]
      }
    ]
  }]
}
