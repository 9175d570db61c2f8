/**
 * In-process throughput of pack 1: payloads per second through runMapping (schema, steps, FML,
 * post-steps) and then the gateway's validator on every resource of the Bundle (R4, required
 * bindings, profiles, domain checks), on one thread, so the figure is per core.
 */
import { performance } from 'node:perf_hooks'
import type { Bundle } from '@medplum/fhirtypes'
import type { FhirContext } from '../../src/fhir/interactions/context.js'
import type { LoadedMapping } from '../../src/mapping/registry.js'
import { runMapping } from '../../src/mapping/run-mapping.js'
import { gpReferralPayload } from './payloads.js'
import { resourcesAsStored } from './as-stored.js'

export interface Throughput {
  readonly label: string
  readonly perSecond: number
  readonly count: number
}

export function measureInProcess (mapping: LoadedMapping, ctx: FhirContext, seconds: number, validate: boolean): Throughput {
  // Payloads are built beforehand so only mapping (and validation) is timed.
  const payloads = Array.from({ length: 2000 }, gpReferralPayload)
  const run = (payload: unknown): void => {
    const bundle = runMapping(mapping, payload) as Bundle
    if (validate) for (const resource of resourcesAsStored(bundle)) ctx.validator.validate(resource)
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
