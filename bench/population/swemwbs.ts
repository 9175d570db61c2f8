/** The SWEMWBS conversion lives with the outcome rules; the population draws on the same table. */
export { SWEMWBS_MAX, SWEMWBS_MIN, swemwbsMetricScore } from '../../src/workflow/swemwbs.js'
