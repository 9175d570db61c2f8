/**
 * Instants in the synthetic timeline are epoch milliseconds; FHIR gets them as UTC dateTimes at
 * second precision, or as dates. Events fall in working hours, as referral activity does.
 */
import type { Random } from './prng.js'

export const DAY_MS = 86_400_000
/** Steps recorded on the same day an hour apart keep their order. */
export const HOUR_MS = 3_600_000

export function addDays (instant: number, days: number): number {
  return instant + days * DAY_MS
}

/** Midnight UTC of the day `instant` falls on. */
export function startOfDay (instant: number): number {
  return Math.floor(instant / DAY_MS) * DAY_MS
}

/** A moment between 08:00 and 18:00 UTC on the day of `instant`. */
export function duringWorkingHours (random: Random, instant: number): number {
  return startOfDay(instant) + random.int(8 * 3600, 18 * 3600 - 1) * 1000
}

export function fhirDateTime (instant: number): string {
  return new Date(instant).toISOString().slice(0, 19) + 'Z'
}

export function fhirDate (instant: number): string {
  return new Date(instant).toISOString().slice(0, 10)
}

/** A working-hours moment minDays to maxDays after `from`, and always strictly after it. */
export function daysAfter (random: Random, from: number, minDays: number, maxDays: number): number {
  return Math.max(duringWorkingHours(random, addDays(from, random.int(minDays, maxDays))), from + HOUR_MS)
}
