/**
 * SWEMWBS raw totals (7 items scored 1-5, so 7-35) convert to metric scores through the published
 * Rasch conversion table (Warwick Medical School) [External: verify against the licensed source
 * before using for contracting, standards.md §4.3 notes WEMWBS/SWEMWBS need registration].
 */
const METRIC_BY_RAW: readonly number[] = [
  7.00, 9.51, 11.25, 12.40, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36, 16.88, 17.43, 17.98, 18.59, 19.25,
  19.98, 20.73, 21.54, 22.35, 23.21, 24.11, 25.03, 26.02, 27.03, 28.13, 29.31, 30.70, 32.55, 35.00
]

export const SWEMWBS_MIN = 7
export const SWEMWBS_MAX = 35

export function swemwbsMetricScore (raw: number): number {
  const metric = METRIC_BY_RAW[raw - SWEMWBS_MIN]
  if (!Number.isInteger(raw) || metric === undefined) throw new RangeError(`SWEMWBS raw score must be an integer from ${SWEMWBS_MIN} to ${SWEMWBS_MAX}`)
  return metric
}
