/**
 * All resources of one episode as they stand on the "as of" date: the referral and its Task,
 * onward referrals with their provider Tasks, and the outcome Observations taken so far.
 * Ids and random choices are drawn whatever the date, so a later date shows the same episode
 * further along rather than a different one.
 */
import type { Organization, Patient, PractitionerRole, Resource, ServiceRequest } from '@medplum/fhirtypes'
import type { CareSystem, Practice, PrimaryCareNetwork } from './directory.js'
import type { EpisodePlan } from './episode-plan.js'
import type { IdSource } from './ids.js'
import { renderOnwardReferral } from './onward-referral.js'
import { drawScores, renderOutcomeObservations, type MeasureIds, type Timepoint } from './outcomes.js'
import type { Random } from './prng.js'
import { referenceTo } from './references.js'
import { renderReferral } from './referral.js'

export interface EpisodeContext {
  readonly patientId: string
  readonly careSystem: CareSystem
  readonly network: PrimaryCareNetwork
  readonly practice: Practice
  readonly conditionIds: readonly string[]
  readonly replacesId: string | undefined
  readonly asOf: number
}

export interface RenderedEpisode {
  readonly referralId: string
  readonly resources: readonly Resource[]
}

export function renderEpisode (random: Random, newId: IdSource, plan: EpisodePlan, context: EpisodeContext): RenderedEpisode {
  const referralId = newId()
  const taskId = newId()
  const activityIds = plan.activities.map(() => ({ serviceRequestId: newId(), taskId: newId() }))
  const measureIds: Record<Timepoint, MeasureIds> = {
    baseline: { swemwbs: newId(), ons4: newId() },
    'six-months': { swemwbs: newId(), ons4: newId() },
    'twelve-months': { swemwbs: newId(), ons4: newId() }
  }
  const requester = chooseRequester(random, plan, context)
  const linkWorkerRoleId = random.pick(context.network.linkWorkerRoleIds)
  const scores = drawScores(random)
  const { asOf } = context

  const resources: Resource[] = []
  const referral = renderReferral(plan, {
    serviceRequestId: referralId,
    taskId,
    patientId: context.patientId,
    requester,
    linkWorkerServiceId: context.network.linkWorkerServiceId,
    linkWorkerOrganisationId: context.network.organisationId,
    conditionIds: context.conditionIds,
    replacesId: context.replacesId
  }, asOf)
  resources.push(referral.serviceRequest)
  if (referral.task !== undefined) resources.push(referral.task)

  for (const [index, activity] of plan.activities.entries()) {
    const ids = activityIds[index] as { serviceRequestId: string, taskId: string }
    const onward = renderOnwardReferral(activity, { ...ids, parentServiceRequestId: referralId, patientId: context.patientId, linkWorkerRoleId, reason: plan.reason }, asOf)
    if (onward === undefined) continue
    resources.push(onward.serviceRequest)
    if (onward.task !== undefined) resources.push(onward.task)
  }

  if (plan.scored) {
    const timepoints: Array<[Timepoint, number | undefined]> = [
      ['baseline', plan.initialAppointmentAt], ['six-months', plan.reviewSixAt], ['twelve-months', plan.reviewTwelveAt]
    ]
    for (const [timepoint, effectiveAt] of timepoints) {
      if (effectiveAt === undefined || effectiveAt > asOf) continue
      const baseline = timepoint === 'baseline' ? undefined : measureIds.baseline
      resources.push(...renderOutcomeObservations(scores[timepoint], measureIds[timepoint],
        { patientId: context.patientId, referralId, linkWorkerRoleId, effectiveAt }, baseline))
    }
  }
  return { referralId, resources }
}

/** Referral routes into the link-worker service (calibration.ts REFERRAL_SOURCE). */
function chooseRequester (random: Random, plan: EpisodePlan, context: EpisodeContext): NonNullable<ServiceRequest['requester']> {
  const gp = random.pick(context.practice.gpRoleIds)
  const vcs = context.careSystem.referringProviderIds.length === 0 ? undefined : random.pick(context.careSystem.referringProviderIds)
  if (plan.source === 'self') return referenceTo<Patient>('Patient', context.patientId)
  if (plan.source === 'practice-nurse') return referenceTo<PractitionerRole>('PractitionerRole', context.practice.nurseRoleId)
  // An area whose VCFSE providers do not refer falls back to the GP route.
  if (plan.source === 'vcs-organisation' && vcs !== undefined) return referenceTo<Organization>('Organization', vcs)
  return referenceTo<PractitionerRole>('PractitionerRole', gp)
}
