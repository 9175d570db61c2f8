/**
 * Rule on Observations that needs the store: an Observation `basedOn` a referral (an outcome
 * score a CRM reports, a scored questionnaire) must be about the referral's person. The CRM
 * outcome packs resolve the NHS number and the referral id independently, so a wrong NHS number,
 * or a wrong referral id, would otherwise attach one person's outcome to another's referral.
 */
import type { Observation, ServiceRequest } from '@medplum/fhirtypes'
import { GatewayError } from '../errors.js'
import type { FhirContext } from '../fhir/interactions/context.js'
import type { Queryable } from '../store/database.js'
import { readReference } from './store-access.js'
import { samePerson } from './same-person.js'

export async function beforeObservation (ctx: FhirContext, q: Queryable, observation: Observation): Promise<Observation> {
  for (const [index, reference] of (observation.basedOn ?? []).entries()) {
    const referral = await readReference<ServiceRequest>(ctx, q, reference, 'ServiceRequest')
    if (referral === undefined) continue
    if (!samePerson(ctx, referral.subject, observation.subject)) {
      // No personal data in the message: the ids say which records disagree.
      throw new GatewayError('unprocessable', `Observation.subject (${observation.subject?.reference ?? 'none'}) is not the person of the referral it is basedOn (${reference.reference ?? ''} is for ${referral.subject?.reference ?? 'no one'})`, { expression: 'Observation.subject' })
    }
  }
  return observation
}
