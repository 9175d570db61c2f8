/**
 * The representative searches of the search issue, each as the list of concrete query strings
 * its timed requests cycle through (different patients, providers, PCNs), so a figure is not the
 * cost of one lucky row that stays hot in cache.
 */
import { NHS_NUMBER, SNOMED, GATEWAY, SWEMWBS_SCORE, SOCIAL_PRESCRIBING_REFERRAL } from '../population/code-systems.js'
import { OPEN_TASK_STATUSES, type Fixtures } from './fixtures.js'

export interface BenchQuery {
  readonly id: string
  /** What it stands for, in the words. */
  readonly title: string
  /** Paths under the FHIR base, e.g. `Patient?identifier=…`, cycled through by the timed requests. */
  readonly paths: readonly string[]
}

/** Below this SWEMWBS total a person is in the lowest band (range 7-35) [Inference]. */
const SWEMWBS_LOW = 14

export function representativeQueries (f: Fixtures): BenchQuery[] {
  const month = monthBefore(f.asOf, 8)
  // Month precision: ge covers the first month onwards, le up to the end of the last one.
  const [quarterStart, quarterEnd] = [monthBefore(f.asOf, 9), monthBefore(f.asOf, 7)]
  const reason = `${GATEWAY.referralReason}|loneliness-or-social-isolation`
  return [
    {
      id: 'Q1',
      title: "a patient's referrals by NHS number (chained)",
      paths: f.patients.map(p => search('ServiceRequest', { 'subject:Patient.identifier': `${NHS_NUMBER}|${p.nhsNumber}` }))
    },
    {
      id: 'Q2',
      title: "a provider's open tasks by date, _include focus ServiceRequest and Patient",
      paths: f.busyOwners.map(owner => search('Task', {
        owner: `Organization/${owner}`, status: OPEN_TASK_STATUSES.join(','), _sort: 'authored-on', _include: ['Task:focus', 'Task:patient']
      }))
    },
    {
      id: 'Q3',
      title: 'tasks changed since a time (_lastUpdated=gt…)',
      paths: [search('Task', { _lastUpdated: `gt${f.changedSince}` })]
    },
    {
      id: 'Q4',
      title: `a PCN's referrals in a month (${month}) by reason`,
      paths: f.busyPcns.map(pcn => search('ServiceRequest', {
        'performer:HealthcareService.organization': `Organization/${pcn}`, authored: month, 'reason-code': reason
      }))
    },
    {
      id: 'Q5',
      title: `SWEMWBS observations in a quarter with value below ${SWEMWBS_LOW}`,
      paths: [search('Observation', {
        code: `${SWEMWBS_SCORE.system}|${SWEMWBS_SCORE.code}`, date: [`ge${quarterStart}`, `le${quarterEnd}`], 'value-quantity': `lt${SWEMWBS_LOW}`
      })]
    },
    {
      id: 'Q6',
      title: 'patients referred to an activity (_has reverse chain)',
      paths: f.busyActivities.map(service => search('Patient', { '_has:ServiceRequest:subject:performer': `HealthcareService/${service}` }))
    },
    {
      id: 'Q7',
      title: 'dashboard tile: active social prescribing referrals (_summary=count)',
      paths: [`${COUNTED_TILE}&_summary=count`]
    },
    {
      id: 'Q9',
      title: 'a patient by NHS number (identifier)',
      paths: f.patients.map(p => search('Patient', { identifier: `${NHS_NUMBER}|${p.nhsNumber}` }))
    },
    {
      id: 'Q10',
      title: 'a patient by family name and birth date',
      paths: f.patients.map(p => search('Patient', { family: p.family, birthdate: p.birthDate }))
    }
  ]
}

/**
 * Q7's search: the tile a dashboard shows. The gateway is given it as a counted search
 * (SEARCH_COUNTED) unless --no-counted, as a deployment with that dashboard would be.
 */
export const COUNTED_TILE = search('ServiceRequest', { code: `${SNOMED}|${SOCIAL_PRESCRIBING_REFERRAL.code}`, status: 'active' })

/**
 * The large result paged through: every Task, oldest change first; as the gateway answers by
 * default (no total) and with `_total=accurate` (page 1 then also counts every match).
 */
export const PAGING_PATHS = {
  plain: search('Task', { _sort: '_lastUpdated', _count: '20' }),
  withTotal: search('Task', { _sort: '_lastUpdated', _count: '20', _total: 'accurate' })
} as const

function search (type: string, params: Record<string, string | readonly string[]>): string {
  const query = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) {
    for (const v of typeof value === 'string' ? [value] : value) query.append(name, v)
  }
  return `${type}?${query.toString()}`
}

/** YYYY-MM of the month `months` before the as-of date's month. */
function monthBefore (asOf: string, months: number): string {
  const date = new Date(`${asOf}T00:00:00Z`)
  date.setUTCDate(1)
  date.setUTCMonth(date.getUTCMonth() - months)
  return date.toISOString().slice(0, 7)
}
