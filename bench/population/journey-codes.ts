/**
 * Codes for Task.businessStatus (the journey states of domain.md §4.2, named after its state
 * column) and Task.statusReason. Neither has a national code system (standards.md §0 item 4:
 * Gravity uses no businessStatus), so both live in gateway CodeSystems.
 */
import type { CodeableConcept } from '@medplum/fhirtypes'
import { GATEWAY } from './code-systems.js'

const JOURNEY_STATES = {
  referred: 'Referred (S3)',
  waitlisted: 'Waitlisted (S6)',
  contacted: 'Contacted (S7)',
  'initial-appointment': 'Initial appointment held (S8)',
  'plan-agreed': 'Plan agreed (S9)',
  'onward-referred': 'Onward referred (S10)',
  'pre-engagement': 'Pre-engagement (S11)',
  attending: 'Attending (S12)',
  'engaged-regularly': 'Engaged regularly (S14)',
  'attending-irregularly': 'Attending irregularly (S14)',
  'activity-completed': 'Activity completed (S15)',
  'review-6m': 'Six-month review (S17)',
  'review-12m': 'Twelve-month review (S18)',
  'goals-achieved': 'Closed, goals achieved (S20)',
  'dropped-out': 'Dropped out (S21)',
  declined: 'Declined (S2)',
  'returned-to-referrer': 'Returned to referrer (S5)',
  'not-attended': 'Not attended (S13)'
} as const

export type JourneyState = keyof typeof JOURNEY_STATES

const STATUS_REASONS = {
  'waiting-list': 'On the waiting list',
  declined: 'Declined social prescribing at first contact',
  'too-complex': 'Needs too complex for the service; returned to the referrer',
  'not-contactable': 'No reply after three contact attempts',
  'did-not-attend': 'Did not attend any session',
  'stopped-attending': 'Stopped attending the activity',
  'activities-not-attended': 'Did not attend the activities referred to',
  withdrew: 'Withdrew from social prescribing',
  'lost-to-follow-up': 'Lost to follow-up'
} as const

export type StatusReason = keyof typeof STATUS_REASONS

export function journeyState (state: JourneyState): CodeableConcept {
  return { coding: [{ system: GATEWAY.journeyState, code: state, display: JOURNEY_STATES[state] }] }
}

/** Gravity's Task profile requires statusReason.text (standards.md §3.3), so the text is always set. */
export function statusReason (reason: StatusReason): CodeableConcept {
  return { coding: [{ system: GATEWAY.taskStatusReason, code: reason }], text: STATUS_REASONS[reason] }
}
