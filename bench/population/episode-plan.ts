/**
 * One social prescribing episode planned from start to finish before anything is rendered: its
 * fate (calibration.ts EPISODE_FATE) and the dates of every journey event (domain.md §4.2-4.3).
 * Rendering then shows the episode as it stands on the "as of" date, so recent episodes are
 * still open and old ones closed, as in a live system.
 */
import {
  ACTIVITIES_PER_EPISODE, ACTIVITY_CATEGORY, ACTIVITY_WAITLISTED, EPISODE_FATE, EXTRA_ACTIVITY_ATTENDED,
  LEAVERS_CLOSED_WITH_GOALS, LINK_WORKER_WAITLISTED, NOT_SCORED_SHARE, REACHES_SIX_MONTH_REVIEW,
  REACHES_TWELVE_MONTH_REVIEW_AFTER_SIX, REFERRAL_REASON, REFERRAL_SOURCE, SESSIONS_PRESCRIBED
} from './calibration.js'
import type { ActivityService, CareSystem } from './directory.js'
import type { Random } from './prng.js'
import { addDays, daysAfter } from './time.js'

export type EpisodeFate = keyof typeof EPISODE_FATE
export type ReferralSource = keyof typeof REFERRAL_SOURCE
export type ReferralReason = keyof typeof REFERRAL_REASON
export type Closure = 'goals-achieved' | 'withdrew' | 'lost-to-follow-up' | 'declined' | 'returned-to-referrer' | 'not-contactable' | 'did-not-attend'
export type ActivityOutcome = 'completed' | 'not-attended' | 'stopped-attending'

export interface ActivityPlan {
  readonly service: ActivityService
  readonly referredAt: number
  /** When the provider answered: accepted, or put the person on its waiting list. */
  readonly respondedAt: number
  /** Set when the provider's waiting list held the person until this moment. */
  readonly waitlistedUntil: number | undefined
  readonly sessions: ReadonlyArray<{ readonly at: number, readonly attended: boolean }>
  readonly outcome: ActivityOutcome
  readonly endedAt: number
}

export interface EpisodePlan {
  readonly fate: EpisodeFate
  readonly referredAt: number
  readonly source: ReferralSource
  readonly reason: ReferralReason
  /** False for schemes that score nobody: no outcome Observations (domain.md §7.1). */
  readonly scored: boolean
  readonly waitlistedUntil: number | undefined
  readonly contactedAt: number | undefined
  /** Baseline measures are taken here (003:1624-1626). */
  readonly initialAppointmentAt: number | undefined
  readonly planAgreedAt: number | undefined
  readonly activities: readonly ActivityPlan[]
  readonly reviewSixAt: number | undefined
  readonly reviewTwelveAt: number | undefined
  readonly closedAt: number
  readonly closure: Closure
}

export function planEpisode (random: Random, careSystem: CareSystem, referredAt: number): EpisodePlan {
  const fate = random.weighted(EPISODE_FATE)
  const common = {
    fate,
    referredAt,
    source: random.weighted(REFERRAL_SOURCE),
    reason: random.weighted(REFERRAL_REASON),
    scored: !random.chance(NOT_SCORED_SHARE)
  }
  const none = { contactedAt: undefined, initialAppointmentAt: undefined, planAgreedAt: undefined, activities: [], reviewSixAt: undefined, reviewTwelveAt: undefined }
  const at = (from: number, minDays: number, maxDays: number): number => daysAfter(random, from, minDays, maxDays)

  if (fate === 'returned-to-referrer') {
    return { ...common, ...none, waitlistedUntil: undefined, closedAt: at(referredAt, 1, 10), closure: 'returned-to-referrer' }
  }
  const waitlistedUntil = random.chance(LINK_WORKER_WAITLISTED) ? at(referredAt, 14, 42) : undefined
  const available = waitlistedUntil ?? referredAt
  if (fate === 'not-contactable') {
    return { ...common, ...none, waitlistedUntil, closedAt: at(available, 14, 28), closure: 'not-contactable' }
  }
  const contactedAt = at(available, 2, 10)
  if (fate === 'declined-at-contact') {
    return { ...common, ...none, waitlistedUntil, contactedAt, closedAt: contactedAt, closure: 'declined' }
  }

  const initialAppointmentAt = at(contactedAt, 3, 14)
  const planAgreedAt = at(initialAppointmentAt, 0, 7)
  const regular = fate === 'engaged-regularly'
  const activityCount = fate === 'did-not-attend-activity' ? 1 : Number(random.weighted(ACTIVITIES_PER_EPISODE))
  const activities: ActivityPlan[] = []
  for (let i = 0; i < activityCount; i++) {
    const attends = fate !== 'did-not-attend-activity' && (i === 0 || random.chance(EXTRA_ACTIVITY_ATTENDED))
    const referred = at(planAgreedAt, 0, 7 + i * 21)
    activities.push(planActivity(random, chooseActivity(random, careSystem), referred, attends ? (regular ? 'regular' : 'irregular') : 'none'))
  }
  const activitiesEndAt = Math.max(...activities.map(a => a.endedAt))

  if (fate === 'did-not-attend-activity') {
    return { ...common, waitlistedUntil, contactedAt, initialAppointmentAt, planAgreedAt, activities, reviewSixAt: undefined, reviewTwelveAt: undefined, closedAt: at(activitiesEndAt, 7, 30), closure: 'did-not-attend' }
  }

  const kind = regular ? 'regular' : 'irregular'
  const reviewSixAt = random.chance(REACHES_SIX_MONTH_REVIEW[kind])
    ? Math.max(at(referredAt, 168, 196), at(activitiesEndAt, 7, 14))
    : undefined
  const reviewTwelveAt = reviewSixAt !== undefined && random.chance(REACHES_TWELVE_MONTH_REVIEW_AFTER_SIX[kind])
    ? Math.max(at(referredAt, 351, 379), at(reviewSixAt, 90, 120))
    : undefined
  const leaverClosure = (): Closure => random.chance(LEAVERS_CLOSED_WITH_GOALS) ? 'goals-achieved' : random.pick(['withdrew', 'lost-to-follow-up'] as const)
  const [closedAt, closure] = reviewTwelveAt !== undefined
    ? [at(reviewTwelveAt, 0, 30), 'goals-achieved' as const]
    : reviewSixAt !== undefined
      ? [at(reviewSixAt, 14, 120), leaverClosure()]
      : [at(activitiesEndAt, 7, 60), leaverClosure()]
  return { ...common, waitlistedUntil, contactedAt, initialAppointmentAt, planAgreedAt, activities, reviewSixAt, reviewTwelveAt, closedAt, closure }
}

function chooseActivity (random: Random, careSystem: CareSystem): ActivityService {
  const offered = careSystem.activitiesByCategory.get(random.weighted(ACTIVITY_CATEGORY))
  if (offered !== undefined && offered.length > 0) return random.pick(offered)
  // A small area may not offer every kind of activity; any local activity will do.
  return random.pick([...careSystem.activitiesByCategory.values()].flat())
}

/**
 * Weekly sessions (S15). Regular attenders come to at least two thirds of them, irregular ones to
 * fewer (S14, 001:687); some irregular attenders stop coming; "none" never attends (S13).
 */
function planActivity (random: Random, service: ActivityService, referredAt: number, attendance: 'regular' | 'irregular' | 'none'): ActivityPlan {
  const at = (from: number, minDays: number, maxDays: number): number => daysAfter(random, from, minDays, maxDays)
  const respondedAt = at(referredAt, 1, 7)
  const waitlistedUntil = random.chance(ACTIVITY_WAITLISTED) ? at(respondedAt, 14, 42) : undefined
  const firstSession = at(waitlistedUntil ?? respondedAt, 3, 14)
  const count = random.int(...SESSIONS_PRESCRIBED)
  const sessionTimes = Array.from({ length: count }, (_, week) => addDays(firstSession, week * 7))
  const regularThreshold = Math.ceil(count * 2 / 3)

  if (attendance === 'none') {
    // Providers give up after two missed sessions.
    const sessions = sessionTimes.map(time => ({ at: time, attended: false }))
    return { service, referredAt, respondedAt, waitlistedUntil, sessions, outcome: 'not-attended', endedAt: at(sessionTimes[1] as number, 1, 7) }
  }
  const attendedCount = attendance === 'regular' ? random.int(regularThreshold, count) : random.int(1, regularThreshold - 1)
  const stops = attendance === 'irregular' && random.chance(0.5)
  // Everyone comes to the first session; a leaver's sessions are the first ones, others are spread out.
  const attendedIndexes = new Set([0])
  if (stops) for (let i = 1; i < attendedCount; i++) attendedIndexes.add(i)
  while (attendedIndexes.size < attendedCount) attendedIndexes.add(random.int(1, count - 1))
  const sessions = sessionTimes.map((time, index) => ({ at: time, attended: attendedIndexes.has(index) }))
  const lastSession = sessionTimes[count - 1] as number
  if (stops) {
    // They are noticed as gone after missing two more sessions.
    const noticedAt = sessionTimes[Math.min(attendedCount + 1, count - 1)] as number
    return { service, referredAt, respondedAt, waitlistedUntil, sessions, outcome: 'stopped-attending', endedAt: at(noticedAt, 1, 7) }
  }
  return { service, referredAt, respondedAt, waitlistedUntil, sessions, outcome: 'completed', endedAt: at(lastSession, 0, 3) }
}
