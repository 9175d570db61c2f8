/**
 * Puts rows into the gateway before anything is measured, through its own API so they are
 * exactly what a create would have stored: transaction Bundles of 500 POST entries (one database
 * transaction each, so seeding takes seconds, not minutes). Returns the ids, for the reads.
 */
import type { Bundle } from '@medplum/fhirtypes'
import { makeReferral } from './referral.js'

const ENTRIES_PER_BUNDLE = 500
/** Two bundles in flight: one per core on the reference machine. */
const IN_FLIGHT = 2

/** `headers`: e.g. the Authorization of a gateway with authentication on (bench/auth/run.ts). */
export async function seedGateway (fhirBase: string, rows: number, headers: Record<string, string> = {}): Promise<string[]> {
  const ids: string[] = []
  let remaining = rows
  const next = async (): Promise<void> => {
    while (remaining > 0) {
      const count = Math.min(ENTRIES_PER_BUNDLE, remaining)
      remaining -= count
      ids.push(...await postBundle(fhirBase, count, headers))
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, next))
  return ids
}

async function postBundle (fhirBase: string, count: number, headers: Record<string, string>): Promise<string[]> {
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: Array.from({ length: count }, () => ({ resource: makeReferral(), request: { method: 'POST', url: 'ServiceRequest' } }))
  }
  const res = await fetch(fhirBase, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/fhir+json', prefer: 'return=minimal' },
    body: JSON.stringify(bundle)
  })
  const text = await res.text()
  if (res.status !== 200) throw new Error(`seeding failed: HTTP ${res.status} ${text.slice(0, 500)}`)
  const response = JSON.parse(text) as Bundle
  // response.location is ServiceRequest/<id>/_history/1
  return (response.entry ?? []).map(entry => entry.response?.location?.split('/')[1] ?? '').filter(id => id !== '')
}
