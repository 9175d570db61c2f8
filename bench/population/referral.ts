/**
 * The referral to the link-worker service (ServiceRequest, SNOMED 871731000000106) and the
 * link worker's Task that tracks it, following domain.md §4.4's mapping of journey states to
 * ServiceRequest and Task statuses.
 */
import type { Condition, HealthcareService, Organization, Patient, ServiceRequest, Task } from '@medplum/fhirtypes'
import { SOCIAL_PRESCRIBING_REFERRAL, SOCIAL_SERVICE_PROCEDURE } from './code-systems.js'
import type { EpisodePlan } from './episode-plan.js'
import { referralReason } from './referral-reason.js'
import { referenceTo } from './references.js'
import { renderTask } from './task-resource.js'
import type { TaskStep } from './task-timeline.js'
import { fhirDateTime, HOUR_MS } from './time.js'

export interface ReferralParts {
  readonly serviceRequestId: string
  readonly taskId: string
  readonly patientId: string
  readonly requester: NonNullable<ServiceRequest['requester']>
  readonly linkWorkerServiceId: string
  /** The PCN that runs the link-worker service and owns the work. */
  readonly linkWorkerOrganisationId: string
  readonly conditionIds: readonly string[]
  /** The previous episode's referral, for a re-referral (S22). */
  readonly replacesId: string | undefined
}

export function renderReferral (plan: EpisodePlan, parts: ReferralParts, asOf: number): { serviceRequest: ServiceRequest, task: Task | undefined } {
  const steps = linkWorkerSteps(plan)
  const task = renderTask({
    id: parts.taskId,
    focus: referenceTo<ServiceRequest>('ServiceRequest', parts.serviceRequestId),
    for: referenceTo<Patient>('Patient', parts.patientId),
    requester: parts.requester,
    owner: referenceTo<Organization>('Organization', parts.linkWorkerOrganisationId),
    authoredAt: plan.referredAt,
    steps
  }, asOf)
  const serviceRequest: ServiceRequest = {
    resourceType: 'ServiceRequest',
    id: parts.serviceRequestId,
    ...(parts.replacesId === undefined ? {} : { replaces: [referenceTo<ServiceRequest>('ServiceRequest', parts.replacesId)] }),
    status: referralStatus(plan, task, asOf),
    intent: 'order',
    category: [{ coding: [SOCIAL_SERVICE_PROCEDURE] }],
    code: { coding: [SOCIAL_PRESCRIBING_REFERRAL] },
    subject: referenceTo<Patient>('Patient', parts.patientId),
    authoredOn: fhirDateTime(plan.referredAt),
    requester: parts.requester,
    performer: [referenceTo<HealthcareService>('HealthcareService', parts.linkWorkerServiceId)],
    reasonCode: [referralReason(plan.reason)],
    ...(parts.conditionIds.length === 0 ? {} : { reasonReference: parts.conditionIds.map(id => referenceTo<Condition>('Condition', id)) })
  }
  return { serviceRequest, task }
}

/** §4.4: active while open, on-hold while waitlisted, completed on goals achieved, revoked otherwise. */
function referralStatus (plan: EpisodePlan, task: Task | undefined, asOf: number): ServiceRequest['status'] {
  if (plan.closedAt <= asOf) return plan.closure === 'goals-achieved' ? 'completed' : 'revoked'
  return task?.status === 'on-hold' ? 'on-hold' : 'active'
}

/**
 * Gravity's transitions (standards.md §3.3): requested → accepted | rejected | cancelled;
 * accepted → in-progress | on-hold | …; on-hold → in-progress | failed | cancelled. A waitlisted
 * referral is therefore accepted before it goes on hold.
 */
function linkWorkerSteps (plan: EpisodePlan): TaskStep[] {
  const steps: TaskStep[] = [{ at: plan.referredAt, status: 'requested', state: 'referred' }]
  if (plan.closure === 'returned-to-referrer') {
    return [...steps, { at: plan.closedAt, status: 'rejected', state: 'returned-to-referrer', reason: 'too-complex' }]
  }
  if (plan.waitlistedUntil !== undefined) {
    steps.push({ at: plan.referredAt + HOUR_MS, status: 'accepted', state: 'referred' })
    steps.push({ at: plan.referredAt + 2 * HOUR_MS, status: 'on-hold', state: 'waitlisted', reason: 'waiting-list' })
  }
  if (plan.closure === 'not-contactable') {
    if (plan.waitlistedUntil === undefined) steps.push({ at: plan.referredAt + HOUR_MS, status: 'accepted', state: 'referred' })
    return [...steps, { at: plan.closedAt, status: 'failed', state: 'dropped-out', reason: 'not-contactable' }]
  }
  if (plan.closure === 'declined') {
    return [...steps, { at: plan.closedAt, status: 'cancelled', state: 'declined', reason: 'declined' }]
  }

  const contactedAt = plan.contactedAt as number
  // After a waiting list the work resumes straight into progress (on-hold → in-progress).
  steps.push({ at: contactedAt, status: plan.waitlistedUntil === undefined ? 'accepted' : 'in-progress', state: 'contacted' })
  steps.push({ at: plan.initialAppointmentAt as number, status: 'in-progress', state: 'initial-appointment' })
  steps.push({ at: (plan.planAgreedAt as number) + HOUR_MS, status: 'in-progress', state: 'plan-agreed' })
  const firstOnward = Math.min(...plan.activities.map(a => a.referredAt))
  steps.push({ at: firstOnward + HOUR_MS, status: 'in-progress', state: 'onward-referred' })
  const firstAttended = Math.min(...plan.activities.flatMap(a => a.sessions.filter(s => s.attended).map(s => s.at)))
  if (Number.isFinite(firstAttended)) steps.push({ at: firstAttended + HOUR_MS, status: 'in-progress', state: 'attending' })
  if (plan.reviewSixAt !== undefined) steps.push({ at: plan.reviewSixAt, status: 'in-progress', state: 'review-6m' })
  if (plan.reviewTwelveAt !== undefined) steps.push({ at: plan.reviewTwelveAt, status: 'in-progress', state: 'review-12m' })

  switch (plan.closure) {
    case 'goals-achieved': steps.push({ at: plan.closedAt, status: 'completed', state: 'goals-achieved' }); break
    case 'withdrew': steps.push({ at: plan.closedAt, status: 'cancelled', state: 'dropped-out', reason: 'withdrew' }); break
    case 'lost-to-follow-up': steps.push({ at: plan.closedAt, status: 'failed', state: 'dropped-out', reason: 'lost-to-follow-up' }); break
    default: steps.push({ at: plan.closedAt, status: 'failed', state: 'not-attended', reason: 'activities-not-attended' })
  }
  return steps
}
