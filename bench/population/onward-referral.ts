/**
 * The link worker's onward referral to an activity (S10): a child ServiceRequest basedOn the
 * referral, performed by a VCFSE HealthcareService, and the provider's Task with attendance in
 * Task.output, so take-up and regular engagement (≥ 2/3 of sessions, 001:687) can be counted.
 */
import type { HealthcareService, Organization, Patient, PractitionerRole, ServiceRequest, Task, TaskOutput } from '@medplum/fhirtypes'
import { GATEWAY, SOCIAL_SERVICE_PROCEDURE } from './code-systems.js'
import type { ActivityPlan, ReferralReason } from './episode-plan.js'
import { referralReason } from './referral-reason.js'
import { referenceTo } from './references.js'
import { renderTask } from './task-resource.js'
import type { TaskStep } from './task-timeline.js'
import { fhirDateTime, HOUR_MS } from './time.js'

export interface OnwardReferralParts {
  readonly serviceRequestId: string
  readonly taskId: string
  readonly parentServiceRequestId: string
  readonly patientId: string
  readonly linkWorkerRoleId: string
  readonly reason: ReferralReason
}

export const SESSIONS_PRESCRIBED_OUTPUT = 'sessions-prescribed'
export const SESSIONS_ATTENDED_OUTPUT = 'sessions-attended'

/** Undefined when the onward referral had not been made yet on `asOf`. */
export function renderOnwardReferral (activity: ActivityPlan, parts: OnwardReferralParts, asOf: number): { serviceRequest: ServiceRequest, task: Task | undefined } | undefined {
  if (activity.referredAt > asOf) return undefined
  const linkWorker = referenceTo<PractitionerRole>('PractitionerRole', parts.linkWorkerRoleId)
  const serviceRequest: ServiceRequest = {
    resourceType: 'ServiceRequest',
    id: parts.serviceRequestId,
    basedOn: [referenceTo<ServiceRequest>('ServiceRequest', parts.parentServiceRequestId)],
    status: activity.endedAt > asOf ? 'active' : activity.outcome === 'completed' ? 'completed' : 'revoked',
    intent: 'order',
    category: [{ coding: [SOCIAL_SERVICE_PROCEDURE] }],
    // No national code for activity referrals (standards.md §4.1): the TCF activity category.
    code: { coding: [{ system: GATEWAY.activityCategory, code: activity.service.category }] },
    subject: referenceTo<Patient>('Patient', parts.patientId),
    authoredOn: fhirDateTime(activity.referredAt),
    requester: linkWorker,
    performer: [referenceTo<HealthcareService>('HealthcareService', activity.service.serviceId)],
    reasonCode: [referralReason(parts.reason)]
  }
  const task = renderTask({
    id: parts.taskId,
    focus: referenceTo<ServiceRequest>('ServiceRequest', parts.serviceRequestId),
    for: referenceTo<Patient>('Patient', parts.patientId),
    requester: linkWorker,
    owner: referenceTo<Organization>('Organization', activity.service.organisationId),
    authoredAt: activity.referredAt,
    steps: providerSteps(activity),
    output: attendanceOutput(activity, asOf)
  }, asOf)
  return { serviceRequest, task }
}

function providerSteps (activity: ActivityPlan): TaskStep[] {
  const steps: TaskStep[] = [
    { at: activity.referredAt, status: 'requested', state: 'onward-referred' },
    { at: activity.respondedAt, status: 'accepted', state: 'pre-engagement' }
  ]
  if (activity.waitlistedUntil !== undefined) {
    steps.push({ at: activity.respondedAt + HOUR_MS, status: 'on-hold', state: 'waitlisted', reason: 'waiting-list' })
  }
  if (activity.outcome === 'not-attended') {
    return [...steps, { at: activity.endedAt, status: 'failed', state: 'not-attended', reason: 'did-not-attend' }]
  }
  let attended = 0
  for (const [index, session] of activity.sessions.entries()) {
    if (session.at >= activity.endedAt) break
    if (session.attended) attended += 1
    // Regular means at least two thirds of the sessions so far (001:687).
    const state = 3 * attended >= 2 * (index + 1) ? 'engaged-regularly' : 'attending-irregularly'
    steps.push({ at: session.at, status: 'in-progress', state })
  }
  return [...steps, activity.outcome === 'completed'
    ? { at: activity.endedAt, status: 'completed', state: 'activity-completed' }
    : { at: activity.endedAt, status: 'cancelled', state: 'dropped-out', reason: 'stopped-attending' }]
}

/** Sessions prescribed and attended so far; none before the first session is due. */
function attendanceOutput (activity: ActivityPlan, asOf: number): TaskOutput[] {
  const until = Math.min(asOf, activity.endedAt)
  const due = activity.sessions.filter(s => s.at <= until)
  if (due.length === 0) return []
  const attended = due.filter(s => s.attended).length
  return [
    { type: { coding: [{ system: GATEWAY.taskOutput, code: SESSIONS_PRESCRIBED_OUTPUT }] }, valueInteger: activity.sessions.length },
    { type: { coding: [{ system: GATEWAY.taskOutput, code: SESSIONS_ATTENDED_OUTPUT }] }, valueInteger: attended }
  ]
}
