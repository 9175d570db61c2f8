/**
 * What `npm run seed` prints: counts and rates only, never resource content, so no personal
 * data (synthetic or not) reaches a terminal or a CI log.
 */
import { REFERRAL_REASON, REGULAR_ENGAGEMENT_TARGET, TAKE_UP_TARGET } from './calibration.js'
import type { Proportions } from './tally.js'
import { MATURE_EPISODE_DAYS } from './tally.js'

export function progressLine (written: number, patients: number, elapsedSeconds: number): string {
  const rate = elapsedSeconds > 0 ? Math.round(written / elapsedSeconds) : 0
  return `seeded ${written} resources of a ${patients}-patient population in ${elapsedSeconds.toFixed(1)} s, ${rate}/s`
}

export function summary (proportions: Proportions, elapsedSeconds: number): string {
  const written = Object.values(proportions.resourcesByType).reduce((a, b) => a + b, 0)
  const percent = (value: number): string => `${(value * 100).toFixed(1)}%`
  const reasonTotal = Object.values(REFERRAL_REASON).reduce((a, b) => a + b, 0)
  const lines = [
    `resources written: ${written} in ${elapsedSeconds.toFixed(1)} s = ${Math.round(written / elapsedSeconds)} resources/s`,
    'by type:',
    ...Object.entries(proportions.resourcesByType).map(([type, count]) => `  ${type.padEnd(18)} ${count}`),
    `patients ${proportions.patients}, episodes ${proportions.episodes} (${proportions.episodesPerPatient.toFixed(2)} per patient), ${proportions.resourcesPerPatient.toFixed(1)} resources per patient`,
    `realised proportions (target in brackets; take-up and engagement over the ${proportions.matureEpisodes} episodes at least ${MATURE_EPISODE_DAYS} days old):`,
    `  take-up (attended at least one session)       ${percent(proportions.takeUp)} (${percent(TAKE_UP_TARGET)})`,
    `  regular engagement (>= 2/3 of sessions)       ${percent(proportions.regularEngagement)} (${percent(REGULAR_ENGAGEMENT_TARGET)})`,
    '  primary reason for referral:',
    ...Object.entries(REFERRAL_REASON).map(([reason, weight]) =>
      `    ${reason.padEnd(32)} ${percent(proportions.reasons[reason] ?? 0)} (${percent(weight / reasonTotal)})`),
    '  link-worker Task status on the as-of date:',
    ...Object.entries(proportions.linkWorkerTaskStatus).sort(([, a], [, b]) => b - a).map(([status, share]) => `    ${status.padEnd(32)} ${percent(share)}`)
  ]
  return lines.join('\n')
}
