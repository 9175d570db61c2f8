/**
 * Rules on referral Tasks that need the store: the state machine against the stored status, no
 * new work on a closed referral, programme eligibility on a new task, and the parent referral
 * following its tasks (all completed → completed; withdrawn → revoked with the reason).
 */
import type { CodeableConcept, Condition, Extension, HealthcareService, Patient, ServiceRequest, Task } from '@medplum/fhirtypes'
import { GatewayError } from '../errors.js'
import type { FhirContext } from '../fhir/interactions/context.js'
import { updateResource } from '../fhir/interactions/update.js'
import type { Queryable } from '../store/database.js'
import { EXTENSION, GATEWAY_SYSTEM } from '../terminology/systems.js'
import { checkEligibility, eligibilityRules } from './eligibility.js'
import { findResources, localTarget, readReference } from './store-access.js'
import { allowedNext, isAllowedTransition, isReferralTask, TERMINAL } from './task-states.js'

/** Referral statuses after which no new work may start. */
export const CLOSED_REFERRAL = new Set(['revoked', 'completed', 'entered-in-error'])
const OPEN_REFERRAL = new Set(['draft', 'active', 'on-hold'])
/** Task reasons that mean the person or referrer withdrew, so the referral is revoked. */
const WITHDRAWAL = new Set(['declined', 'withdrew', 'no-longer-required', 'referral-withdrawn'])
const ELIGIBILITY_CHECKED = new Set(['requested', 'accepted'])

export async function beforeTask (ctx: FhirContext, q: Queryable, task: Task, previous: Task | undefined): Promise<Task> {
  if (!isReferralTask(task)) return task
  if (previous !== undefined) {
    if (!isAllowedTransition(previous.status, task.status)) {
      throw new GatewayError('conflict', `Task status cannot change from "${previous.status}" to "${task.status}"; from "${previous.status}" it may only go to ${allowedNext(previous.status).join(', ')}`, { expression: 'Task.status' })
    }
    return task
  }
  const referral = await readReference<ServiceRequest>(ctx, q, task.focus, 'ServiceRequest')
  if (referral === undefined) return task
  if (CLOSED_REFERRAL.has(referral.status)) {
    throw new GatewayError('conflict', `${task.focus?.reference ?? 'The referral'} is ${referral.status}: a ${referral.status} referral cannot get new tasks`, { expression: 'Task.focus' })
  }
  return ELIGIBILITY_CHECKED.has(task.status) ? await withEligibility(ctx, q, task, referral) : task
}

async function withEligibility (ctx: FhirContext, q: Queryable, task: Task, referral: ServiceRequest): Promise<Task> {
  for (const performer of referral.performer ?? []) {
    const programme = await readReference<HealthcareService>(ctx, q, performer, 'HealthcareService')
    const rules = programme === undefined ? undefined : eligibilityRules(programme)
    if (programme === undefined || rules === undefined) continue
    const subject = task.for ?? referral.subject
    const patient = await readReference<Patient>(ctx, q, subject, 'Patient')
    const patientRef = localTarget(ctx, subject)
    const conditions = rules.conditions.length > 0 && patientRef !== undefined
      ? await findResources<Condition>(ctx, q, 'Condition', `subject=Patient/${patientRef.id}`)
      : []
    const at = new Date(referral.authoredOn ?? task.authoredOn ?? ctx.now().toISOString())
    const result = checkEligibility(rules, programme.name ?? `HealthcareService/${programme.id ?? ''}`, patient, conditions, at)
    if (!result.eligible) {
      return {
        ...task,
        status: 'rejected',
        statusReason: result.reason,
        businessStatus: { coding: [{ system: GATEWAY_SYSTEM.journeyState, code: 'ineligible', display: 'Ineligible (S4)' }] }
      }
    }
  }
  return task
}

export async function afterTask (ctx: FhirContext, q: Queryable, task: Task, previous: Task | undefined): Promise<void> {
  if (!isReferralTask(task) || !TERMINAL.has(task.status) || previous?.status === task.status) return
  const referral = await readReference<ServiceRequest>(ctx, q, task.focus, 'ServiceRequest', true)
  if (referral?.id === undefined || !OPEN_REFERRAL.has(referral.status)) return
  const tasks = (await findResources<Task>(ctx, q, 'Task', `focus=ServiceRequest/${referral.id}`))
    .filter(t => isReferralTask(t) && t.status !== 'entered-in-error')
  if (tasks.some(t => !TERMINAL.has(t.status))) return
  if (tasks.length > 0 && tasks.every(t => t.status === 'completed')) {
    await updateResource(ctx, q, referral.id, { ...referral, status: 'completed' })
    return
  }
  const reasonCode = task.statusReason?.coding?.find(c => c.system === GATEWAY_SYSTEM.taskStatusReason)?.code
  const withdrawn = (task.status === 'cancelled' || task.status === 'failed') && reasonCode !== undefined && WITHDRAWAL.has(reasonCode)
  if (withdrawn && !tasks.some(t => t.status === 'completed')) {
    await updateResource(ctx, q, referral.id, withStatusReason({ ...referral, status: 'revoked' }, task.statusReason as CodeableConcept))
  }
}

function withStatusReason (referral: ServiceRequest, reason: CodeableConcept): ServiceRequest {
  const others = (referral.extension ?? []).filter((e: Extension) => e.url !== EXTENSION.statusReason)
  return { ...referral, extension: [...others, { url: EXTENSION.statusReason, valueCodeableConcept: reason }] }
}
