/**
 * The workload's resource: a social-prescribing referral as a GP system would send it. It is
 * built fresh per request (new subject, identifier and date) so no cache or index sees the same
 * values twice. With the elements a referral needs (three UUID references, two codings, a business
 * identifier) it is about 690 bytes of JSON, ~800 once stored with id and meta; a 450-byte target
 * would mean dropping elements real referrals carry, so referralBytes() is reported instead. The
 * SNOMED CT codes are plausible placeholders: the gateway checks structure and required bindings,
 * not terminology, so only shape and size matter here.
 */
import { randomInt, randomUUID } from 'node:crypto'
import type { ServiceRequest } from '@medplum/fhirtypes'

export function makeReferral (): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    // A 12-digit referral number, the shape of an e-RS UBRN.
    identifier: [{ system: 'https://fhir.example.nhs.uk/Id/sp-referral', value: referralNumber() }],
    status: 'active',
    intent: 'order',
    code: { coding: [{ system: 'http://snomed.info/sct', code: '871731000000106', display: 'Referral to social prescribing service' }] },
    subject: { reference: `Patient/${randomUUID()}` },
    authoredOn: new Date().toISOString(),
    requester: { reference: `PractitionerRole/${randomUUID()}` },
    performer: [{ reference: `HealthcareService/${randomUUID()}` }],
    reasonCode: [{ coding: [{ system: 'http://snomed.info/sct', code: '1060441000000109', display: 'Loneliness' }] }]
  }
}

function referralNumber (): string {
  return String(randomInt(1e11, 1e12))
}

/** Serialized size of a typical referral, for the report. */
export function referralBytes (): { body: number, stored: number } {
  return { body: Buffer.byteLength(JSON.stringify(makeReferral())), stored: Buffer.byteLength(storedReferral(randomUUID())) }
}

/** What the gateway stores for a referral (id and meta added), for the raw storage ceilings. */
export function storedReferral (id: string): string {
  const { resourceType, ...rest } = makeReferral()
  return JSON.stringify({ resourceType, id, meta: { versionId: '1', lastUpdated: new Date().toISOString() }, ...rest })
}
