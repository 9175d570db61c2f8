/**
 * SearchParameters the journey needs beyond R4's own (Task business-status is already an R4
 * parameter): the referral route, the referral's needs, referral and task status reasons, and
 * the outcome instrument; and whether a Consent permits or denies (docs/access.md).
 */
import type { SearchParameter } from '@medplum/fhirtypes'
import { EXTENSION, GATEWAY_BASE } from '../../src/terminology/systems.js'
import { metadata } from './metadata.js'

function searchParameter (id: string, base: string, code: string, description: string, expression: string): SearchParameter {
  return {
    resourceType: 'SearchParameter',
    id,
    url: `${GATEWAY_BASE}/SearchParameter/${id}`,
    ...metadata(undefined, description, code),
    code,
    base: [base as SearchParameter['base'][number]],
    type: 'token',
    expression
  }
}

export function searchParameters (): SearchParameter[] {
  return [
    searchParameter('ServiceRequest-referral-route', 'ServiceRequest', 'referral-route', 'Who made the referral (the referral-route extension)', `ServiceRequest.extension('${EXTENSION.referralRoute}').value`),
    searchParameter('ServiceRequest-reason-code', 'ServiceRequest', 'reason-code', 'The needs a referral addresses (R4 has no reason-code on ServiceRequest)', 'ServiceRequest.reasonCode'),
    searchParameter('ServiceRequest-status-reason', 'ServiceRequest', 'status-reason', 'Why the referral was revoked or completed (the status-reason extension)', `ServiceRequest.extension('${EXTENSION.statusReason}').value`),
    searchParameter('Task-status-reason', 'Task', 'status-reason', 'Why the task was rejected, cancelled, put on hold or failed', 'Task.statusReason'),
    searchParameter('Consent-provision-type', 'Consent', 'provision-type', 'Whether the Consent permits or denies its purposes (R4 has no parameter for it; the access policy reads it)', 'Consent.provision.type'),
    searchParameter('Observation-instrument', 'Observation', 'instrument', 'The outcome instrument a score belongs to: its code, or the code of an instrument item in a component', 'Observation.code | Observation.component.code')
  ]
}
