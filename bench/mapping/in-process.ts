/**
 * In-process throughput of pack 1: payloads per second through runMapping (schema, steps, FML,
 * post-steps) and then the gateway's validator on every resource of the Bundle (R4, required
 * bindings, profiles, domain checks), on one thread, so the figure is per core.
 */
import { performance } from 'node:perf_hooks'
import type { Bundle, Resource } from '@medplum/fhirtypes'
import type { FhirContext } from '../../src/fhir/interactions/context.js'
import type { LoadedMapping } from '../../src/mapping/registry.js'
import { runMapping } from '../../src/mapping/run-mapping.js'
import { gpReferralPayload } from './payloads.js'

export interface Throughput {
  readonly label: string
  readonly perSecond: number
  readonly count: number
}

/**
 * The resources as the transaction validates them: urn:uuid references already rewritten to
 * Type/id (the store's job, not timed as validation), one JSON round trip per Bundle.
 */
function asStored (bundle: Bundle): Resource[] {
  const ids = new Map((bundle.entry ?? []).flatMap(e => e.fullUrl === undefined || e.resource === undefined ? [] : [[e.fullUrl, `${e.resource.resourceType}/${e.fullUrl.slice('urn:uuid:'.length)}`] as const]))
  const text = JSON.stringify((bundle.entry ?? []).map(e => e.resource)).replace(/"urn:uuid:[0-9a-f-]{36}"/g, urn => JSON.stringify(ids.get(urn.slice(1, -1)) ?? urn.slice(1, -1)))
  return JSON.parse(text) as Resource[]
}

export function measureInProcess (mapping: LoadedMapping, ctx: FhirContext, seconds: number, validate: boolean): Throughput {
  // Payloads are built beforehand so only mapping (and validation) is timed.
  const payloads = Array.from({ length: 2000 }, gpReferralPayload)
  const run = (payload: unknown): void => {
    const bundle = runMapping(mapping, payload) as Bundle
    if (validate) for (const resource of asStored(bundle)) ctx.validator.validate(resource)
  }
  for (let i = 0; i < 500; i++) run(payloads[i % payloads.length])
  let count = 0
  const started = performance.now()
  const until = started + seconds * 1000
  while (performance.now() < until) {
    for (let i = 0; i < 50; i++) run(payloads[(count + i) % payloads.length])
    count += 50
  }
  const elapsed = (performance.now() - started) / 1000
  return { label: validate ? 'map + validate' : 'map only', perSecond: count / elapsed, count }
}
