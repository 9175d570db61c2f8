/**
 * Realised proportions, counted from the generated resources themselves (not from the plan), so
 * what is printed is what a dashboard would compute from the store. Take-up and regular
 * engagement are counted over episodes old enough to have finished their activities, since
 * recent ones cannot have attended yet.
 */
import type { Resource, ServiceRequest, Task } from '@medplum/fhirtypes'
import { GATEWAY } from './code-systems.js'
import { SESSIONS_ATTENDED_OUTPUT, SESSIONS_PRESCRIBED_OUTPUT } from './onward-referral.js'
import { DAY_MS } from './time.js'

/** Every planned activity has ended by this age (waiting lists and 8 weekly sessions included). */
export const MATURE_EPISODE_DAYS = 240

interface EpisodeTally {
  readonly authoredAt: number
  tookUp: boolean
  engagedRegularly: boolean
}

export interface Proportions {
  readonly resourcesByType: Readonly<Record<string, number>>
  readonly patients: number
  readonly episodes: number
  readonly matureEpisodes: number
  readonly takeUp: number
  readonly regularEngagement: number
  readonly reasons: Readonly<Record<string, number>>
  readonly linkWorkerTaskStatus: Readonly<Record<string, number>>
  readonly episodesPerPatient: number
  readonly resourcesPerPatient: number
}

export interface Tally {
  add(resources: readonly Resource[]): void
  proportions(): Proportions
}

export function createTally (asOf: Date): Tally {
  const matureBefore = asOf.getTime() - MATURE_EPISODE_DAYS * DAY_MS
  const byType = new Map<string, number>()
  const episodes = new Map<string, EpisodeTally>()
  const childToParent = new Map<string, string>()
  const reasons = new Map<string, number>()
  const linkWorkerStatus = new Map<string, number>()
  const increment = (map: Map<string, number>, key: string): void => { map.set(key, (map.get(key) ?? 0) + 1) }

  const addServiceRequest = (request: ServiceRequest): void => {
    const parent = request.basedOn?.[0]?.reference?.split('/')[1]
    if (parent !== undefined) {
      childToParent.set(request.id as string, parent)
      return
    }
    episodes.set(request.id as string, { authoredAt: Date.parse(request.authoredOn as string), tookUp: false, engagedRegularly: false })
    const reason = request.reasonCode?.[0]?.coding?.find(c => c.system === GATEWAY.referralReason)?.code
    increment(reasons, reason ?? 'none')
  }

  const addTask = (task: Task): void => {
    const focus = task.focus?.reference?.split('/')[1] as string
    const parent = childToParent.get(focus)
    if (parent === undefined) {
      increment(linkWorkerStatus, task.status)
      return
    }
    const episode = episodes.get(parent)
    const output = (code: string): number => task.output?.find(o => o.type.coding?.[0]?.code === code)?.valueInteger ?? 0
    const attended = output(SESSIONS_ATTENDED_OUTPUT)
    const prescribed = output(SESSIONS_PRESCRIBED_OUTPUT)
    if (episode === undefined || attended === 0) return
    episode.tookUp = true
    if (3 * attended >= 2 * prescribed) episode.engagedRegularly = true
  }

  return {
    add (resources) {
      for (const resource of resources) {
        increment(byType, resource.resourceType)
        if (resource.resourceType === 'ServiceRequest') addServiceRequest(resource)
        else if (resource.resourceType === 'Task') addTask(resource)
      }
    },
    proportions () {
      const mature = [...episodes.values()].filter(e => e.authoredAt <= matureBefore)
      const share = (count: number, of: number): number => of === 0 ? 0 : count / of
      const patients = byType.get('Patient') ?? 0
      const total = [...byType.values()].reduce((a, b) => a + b, 0)
      return {
        resourcesByType: Object.fromEntries([...byType.entries()].sort()),
        patients,
        episodes: episodes.size,
        matureEpisodes: mature.length,
        takeUp: share(mature.filter(e => e.tookUp).length, mature.length),
        regularEngagement: share(mature.filter(e => e.engagedRegularly).length, mature.length),
        reasons: Object.fromEntries([...reasons.entries()].map(([k, v]) => [k, share(v, episodes.size)])),
        linkWorkerTaskStatus: Object.fromEntries([...linkWorkerStatus.entries()].map(([k, v]) => [k, share(v, episodes.size)])),
        episodesPerPatient: share(episodes.size, patients),
        resourcesPerPatient: share(total, patients)
      }
    }
  }
}
