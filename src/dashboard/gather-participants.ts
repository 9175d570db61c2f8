/**
 * Reads the people referred to social prescribing in a period, with their referrals and
 * conditions, through the FHIR search machinery — so whatever limits a caller's searches (access
 * policy, consent) limits the dashboard's figures the same way.
 */
import type { Bundle, Condition, Patient, Resource, ServiceRequest } from '@medplum/fhirtypes'
import type { Queryable } from '../store/database.js'
import { executeSearch, type SearchSettings } from '../fhir/search/execute.js'
import { SNOMED } from '../terminology/systems.js'
import type { ParticipantRecord } from './participant-profile.js'

export const SOCIAL_PRESCRIBING_REFERRAL = '871731000000106'

export interface Period { readonly start: string, readonly end: string }

const PAGE = 1000
/** Patients per Condition search: keeps the query string well under URL limits. */
const SUBJECTS_PER_QUERY = 200

export async function gatherParticipants (q: Queryable, settings: SearchSettings, period: Period): Promise<ParticipantRecord[]> {
  const referrals: ServiceRequest[] = []
  const patients = new Map<string, Patient>()
  const referralSearch = new URLSearchParams({
    code: `${SNOMED}|${SOCIAL_PRESCRIBING_REFERRAL}`, _include: 'ServiceRequest:subject', _count: String(PAGE), _sort: 'authored'
  })
  referralSearch.append('authored', `ge${period.start}`)
  referralSearch.append('authored', `le${period.end}`)
  for await (const resource of searchAll(q, settings, 'ServiceRequest', referralSearch)) {
    if (resource.resourceType === 'ServiceRequest' && resource.status !== 'entered-in-error') referrals.push(resource)
    if (resource.resourceType === 'Patient') patients.set(resource.id as string, resource)
  }
  const conditions = await conditionsOf(q, settings, [...patients.keys()])
  return [...patients.values()].map(patient => ({
    patient,
    referrals: referrals.filter(r => r.subject?.reference === `Patient/${patient.id as string}`),
    conditions: conditions.filter(c => c.subject?.reference === `Patient/${patient.id as string}`)
  })).filter(record => record.referrals.length > 0)
}

async function conditionsOf (q: Queryable, settings: SearchSettings, patientIds: readonly string[]): Promise<Condition[]> {
  const found: Condition[] = []
  for (let i = 0; i < patientIds.length; i += SUBJECTS_PER_QUERY) {
    const subjects = patientIds.slice(i, i + SUBJECTS_PER_QUERY).map(id => `Patient/${id}`).join(',')
    for await (const resource of searchAll(q, settings, 'Condition', new URLSearchParams({ subject: subjects, _count: String(PAGE) }))) {
      if (resource.resourceType === 'Condition') found.push(resource)
    }
  }
  return found
}

/** Every entry of a search, following its next links (keyset paging: stable while writes go on). */
async function * searchAll (q: Queryable, settings: SearchSettings, type: string, params: URLSearchParams): AsyncGenerator<Resource> {
  let page: URLSearchParams | undefined = params
  while (page !== undefined) {
    const bundle: Bundle = await executeSearch(q, settings, { types: [type], params: page, endpoint: `${settings.fhirBaseUrl}/${type}`, lenient: false })
    for (const entry of bundle.entry ?? []) if (entry.resource !== undefined) yield entry.resource
    const next = bundle.link?.find(link => link.relation === 'next')?.url
    page = next === undefined ? undefined : new URL(next).searchParams
  }
}
