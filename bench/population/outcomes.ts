/**
 * Outcome Observations (standards.md §4.3 "FHIR shape for outcome Observations"): SWEMWBS total
 * (SNOMED 718466001) with its metric score, and ONS4 as one Observation with four 0-10 items.
 * Taken at the initial appointment (baseline, 003:1624-1626) and at the 6- and 12-month checks
 * (002:111-117) for people still engaged; follow-ups point at their baseline (derivedFrom) so
 * paired analyses work (domain.md §7.3).
 */
import type { Observation, ObservationComponent, Patient, PractitionerRole, ServiceRequest } from '@medplum/fhirtypes'
import { GATEWAY, SURVEY, SWEMWBS_SCORE, UCUM } from './code-systems.js'
import type { Random } from './prng.js'
import { referenceTo } from './references.js'
import { SWEMWBS_MAX, SWEMWBS_MIN, swemwbsMetricScore } from './swemwbs.js'
import { fhirDateTime } from './time.js'

export type Timepoint = 'baseline' | 'six-months' | 'twelve-months'

/** Wellbeing scores of one person at one timepoint. */
export interface WellbeingScores {
  readonly swemwbs: number
  readonly lifeSatisfaction: number
  readonly worthwhile: number
  readonly happiness: number
  readonly anxiety: number
}

/**
 * Scores improve on average. SWEMWBS gains give about 80% improved at 6 months (Petrus: 81% of
 * paired SWEMWBS improved, 001:552) and 85% at 12 months (SPRING, 002:105). Baselines sit below
 * the population norm, as expected for people referred for loneliness or low mood [Inference].
 */
export function drawScores (random: Random): Record<Timepoint, WellbeingScores> {
  const baseline: WellbeingScores = {
    swemwbs: clamp(random.normal(19.5, 4.5), SWEMWBS_MIN, SWEMWBS_MAX),
    lifeSatisfaction: clamp(random.normal(4.6, 2.1), 0, 10),
    worthwhile: clamp(random.normal(5.2, 2.1), 0, 10),
    happiness: clamp(random.normal(4.7, 2.4), 0, 10),
    anxiety: clamp(random.normal(5.8, 2.6), 0, 10)
  }
  const later = (swemwbsGain: number, ons4Gain: number): WellbeingScores => ({
    swemwbs: clamp(baseline.swemwbs + random.normal(swemwbsGain, 3.2), SWEMWBS_MIN, SWEMWBS_MAX),
    lifeSatisfaction: clamp(baseline.lifeSatisfaction + random.normal(ons4Gain, 1.8), 0, 10),
    worthwhile: clamp(baseline.worthwhile + random.normal(ons4Gain * 0.8, 1.8), 0, 10),
    happiness: clamp(baseline.happiness + random.normal(ons4Gain, 1.9), 0, 10),
    // ONS4 anxiety: higher is worse, so improvement is a fall.
    anxiety: clamp(baseline.anxiety - random.normal(ons4Gain * 0.9, 2), 0, 10)
  })
  return { baseline, 'six-months': later(2.6, 1.1), 'twelve-months': later(3.8, 1.5) }
}

export interface ObservationContext {
  readonly patientId: string
  readonly referralId: string
  readonly linkWorkerRoleId: string
  readonly effectiveAt: number
}

export interface MeasureIds {
  readonly swemwbs: string
  readonly ons4: string
}

/** The two Observations of one timepoint; `baseline` is set for follow-ups. */
export function renderOutcomeObservations (scores: WellbeingScores, ids: MeasureIds, context: ObservationContext, baseline: MeasureIds | undefined): Observation[] {
  const common = (id: string, derivedFromId: string | undefined): Omit<Observation, 'code'> => ({
    resourceType: 'Observation',
    id,
    basedOn: [referenceTo<ServiceRequest>('ServiceRequest', context.referralId)],
    status: 'final',
    category: [{ coding: [SURVEY] }],
    subject: referenceTo<Patient>('Patient', context.patientId),
    effectiveDateTime: fhirDateTime(context.effectiveAt),
    performer: [referenceTo<PractitionerRole>('PractitionerRole', context.linkWorkerRoleId)],
    ...(derivedFromId === undefined ? {} : { derivedFrom: [referenceTo<Observation>('Observation', derivedFromId)] })
  })
  const swemwbs: Observation = {
    ...common(ids.swemwbs, baseline?.swemwbs),
    code: { coding: [SWEMWBS_SCORE] },
    valueQuantity: score(scores.swemwbs),
    // No SNOMED code for the metric score (standards.md §4.3): gateway CodeSystem.
    component: [{ code: outcomeCode('swemwbs-metric-score', 'SWEMWBS metric score'), valueQuantity: score(swemwbsMetricScore(scores.swemwbs)) }]
  }
  // ONS4 has no code at all (standards.md §4.3): measure and items use the gateway CodeSystem.
  const ons4: Observation = {
    ...common(ids.ons4, baseline?.ons4),
    code: outcomeCode('ons4', 'ONS4 personal wellbeing'),
    component: [
      item('ons4-life-satisfaction', 'Life satisfaction', scores.lifeSatisfaction),
      item('ons4-worthwhile', 'Things done in life are worthwhile', scores.worthwhile),
      item('ons4-happiness', 'Happiness yesterday', scores.happiness),
      item('ons4-anxiety', 'Anxiety yesterday', scores.anxiety)
    ]
  }
  return [swemwbs, ons4]
}

function outcomeCode (code: string, display: string): Observation['code'] {
  return { coding: [{ system: GATEWAY.outcomeMeasure, code, display }] }
}

function item (code: string, display: string, value: number): ObservationComponent {
  return { code: outcomeCode(code, display), valueInteger: value }
}

function score (value: number): NonNullable<Observation['valueQuantity']> {
  return { value, unit: 'score', system: UCUM, code: '{score}' }
}

function clamp (value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(value)))
}
