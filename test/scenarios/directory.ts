/**
 * A small service directory the scenarios share: programmes with their eligibility rules
 * (domain.md §8.1), link-worker organisations and activity providers, and helpers that walk a
 * referral through its journey over the HTTP API.
 */
import type { FastifyInstance } from 'fastify'
import { client, CS, journeyState, NHS_NUMBERS, organisation, person, programme, reason, referralTask, spReferral, type ReferralOptions } from '../workflow/fixtures.js'

export type Api = ReturnType<typeof client>

export interface Directory {
  readonly api: Api
  readonly org: Record<string, string>
  readonly service: Record<string, string>
}

const THRIVE_CONDITIONS = ['asthma', 'coronary-heart-disease', 'diabetes', 'hypertension', 'copd']

export async function buildDirectory (app: FastifyInstance): Promise<Directory> {
  const api = client(app)
  const org: Record<string, string> = {}
  for (const [key, name] of Object.entries({
    practice: 'Riverside GP Practice', centre4: 'Centre4', ageUk: 'Age UK Northamptonshire', carers: 'Northamptonshire Carers',
    wtw: 'Ways to Wellness', timeToShine: 'Time to Shine', walking: 'Walking Club', money: 'Money Advice', menGroup: "Men's Social Group",
    careRepair: 'Care and Repair', counselling: 'Counselling Service', petrus: 'Petrus Community', valleySteps: 'Valley Steps',
    arts: 'Community Arts Group', mentalHealth: 'Specialist Mental Health Service', wolverhampton: 'Wolverhampton VSC', music: 'Music Project',
    helix: 'Helix Arts', hospital: 'QE Hospital Birmingham', greenGym: 'TCV Green Gym', canal: 'Canal & River Trust', kent: 'Your Leisure Kent', brightlife: 'Brightlife Cheshire',
    anchor: 'Bogside and Brandywell Health Forum'
  })) {
    org[key] = (await api.created('Organization', organisation(name))).id
  }
  const service: Record<string, string> = {}
  const programmes: Array<[string, string, string, [number, number] | undefined, string[]]> = [
    ['thrive', 'Thrive NEL', 'centre4', [18, 75], THRIVE_CONDITIONS],
    ['spring', 'SPRING', 'ageUk', undefined, []],
    ['wtw', 'Ways to Wellness', 'wtw', [40, 74], []],
    ['youngPeople', "Wolverhampton young people's social prescribing", 'wolverhampton', [13, 17], []],
    ['open', 'Open access activity', 'valleySteps', undefined, []]
  ]
  for (const [key, name, owner, ages, conditions] of programmes) {
    service[key] = (await api.created('HealthcareService', programme(name, org[owner] as string, ages, conditions))).id
  }
  return { api, org, service }
}

let next = 0
/** A new person with a distinct valid NHS number. */
export async function newPerson (api: Api, birthDate: string, extra: Record<string, unknown> = {}): Promise<any> {
  const number = NHS_NUMBERS[next % NHS_NUMBERS.length] as string
  next += 1
  // The same NHS number may recur across scenarios; each is its own Patient resource here.
  return await api.created('Patient', person(number, birthDate, extra))
}

export async function refer (api: Api, patientId: string, options: ReferralOptions): Promise<any> {
  return await api.created('ServiceRequest', spReferral(patientId, options))
}

/** Creates a referral Task and moves it through the given steps; returns the last version. */
export async function work (api: Api, referralId: string, patientId: string, ownerOrg: string, steps: Array<[string, string?, Record<string, unknown>?]>): Promise<any> {
  let task = await api.created('Task', referralTask(referralId, patientId, `Organization/${ownerOrg}`))
  for (const [status, state, extra] of steps) {
    const res = await api.put('Task', { ...task, status, ...(state === undefined ? {} : { businessStatus: journeyState(state) }), ...extra })
    if (res.status !== 200) throw new Error(`Task ${task.status as string} → ${status}: ${res.status} ${JSON.stringify(res.body)}`)
    task = res.body
  }
  return task
}

export const activity = (code: string): { system: string, code: string } => ({ system: CS('activity-category'), code })
export { reason }
