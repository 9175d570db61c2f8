/**
 * Rules on referrals (ServiceRequest) that need the store: an onward referral (basedOn) needs an
 * open parent for the same person; a re-referral (replaces) follows a closed episode of the same
 * person; a referral revoked by its sender cancels its open tasks with the reason.
 */
import type { CodeableConcept, ServiceRequest, Task } from '@medplum/fhirtypes'
import { GatewayError } from '../errors.js'
import type { FhirContext } from '../fhir/interactions/context.js'
import { updateResource } from '../fhir/interactions/update.js'
import type { Queryable } from '../store/database.js'
import { EXTENSION, GATEWAY_SYSTEM, profileUrl } from '../terminology/systems.js'
import { findResources, readReference } from './store-access.js'
import { samePerson } from './same-person.js'
import { CLOSED_REFERRAL } from './task-rules.js'
import { isReferralTask, TERMINAL } from './task-states.js'

const REFERRAL_PROFILE = profileUrl('sp-referral')

/** Whether creating this referral reads others (its parent or the episode it replaces). */
export function referralCreateReads (referral: ServiceRequest): boolean {
  return (referral.basedOn?.length ?? 0) > 0 || (referral.replaces?.length ?? 0) > 0
}

export async function beforeReferral (ctx: FhirContext, q: Queryable, referral: ServiceRequest, previous: ServiceRequest | undefined): Promise<ServiceRequest> {
  if (previous === undefined && referralCreateReads(referral)) {
    for (const [index, reference] of (referral.basedOn ?? []).entries()) {
      const parent = await readReference<ServiceRequest>(ctx, q, reference, 'ServiceRequest')
      if (parent === undefined) continue
      const at = `ServiceRequest.basedOn[${index}]`
      if (CLOSED_REFERRAL.has(parent.status)) {
        throw new GatewayError('conflict', `${reference.reference ?? ''} is ${parent.status}: an onward referral needs an open parent referral`, { expression: at })
      }
      if (!samePerson(ctx, parent.subject, referral.subject)) throw new GatewayError('unprocessable', `An onward referral must be for the same person as its parent ${reference.reference ?? ''}`, { expression: at })
    }
    for (const [index, reference] of (referral.replaces ?? []).entries()) {
      const earlier = await readReference<ServiceRequest>(ctx, q, reference, 'ServiceRequest')
      if (earlier === undefined) continue
      const at = `ServiceRequest.replaces[${index}]`
      if (!samePerson(ctx, earlier.subject, referral.subject)) throw new GatewayError('unprocessable', `A re-referral must be for the same person as the episode it replaces (${reference.reference ?? ''})`, { expression: at })
      if (!CLOSED_REFERRAL.has(earlier.status)) {
        throw new GatewayError('conflict', `${reference.reference ?? ''} is still ${earlier.status}: complete or revoke it before a re-referral replaces it`, { expression: at })
      }
    }
  }
  const claimsProfile = (referral.meta?.profile ?? []).some(p => p.split('|')[0] === REFERRAL_PROFILE)
  if (claimsProfile && referral.status === 'revoked' && previous?.status !== 'revoked' && statusReason(referral) === undefined) {
    throw new GatewayError('unprocessable', `A revoked referral needs the ${EXTENSION.statusReason} extension saying why`, { expression: 'ServiceRequest.extension' })
  }
  return referral
}

export async function afterReferral (ctx: FhirContext, q: Queryable, referral: ServiceRequest, previous: ServiceRequest | undefined): Promise<void> {
  if (referral.status !== 'revoked' || previous === undefined || previous.status === 'revoked' || referral.id === undefined) return
  const given = statusReason(referral)
  const reason: CodeableConcept = {
    coding: [{ system: GATEWAY_SYSTEM.taskStatusReason, code: 'referral-withdrawn' }],
    text: given?.text ?? given?.coding?.[0]?.display ?? 'The referral was withdrawn'
  }
  const open = (await findResources<Task>(ctx, q, 'Task', `focus=ServiceRequest/${referral.id}`)).filter(t => isReferralTask(t) && !TERMINAL.has(t.status))
  for (const task of open) {
    await updateResource(ctx, q, task.id as string, { ...task, status: 'cancelled', statusReason: reason })
  }
}

function statusReason (referral: ServiceRequest): CodeableConcept | undefined {
  return referral.extension?.find(e => e.url === EXTENSION.statusReason)?.valueCodeableConcept
}
