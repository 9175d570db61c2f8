/**
 * In-process throughput of pack 1: payloads per second through runMapping (schema, steps, FML,
 * post-steps) and then the gateway's validator on every resource of the Bundle (R4, required
 * bindings, profiles, domain checks), on one thread, so the figure is per core; reported as the
 * median of one-second slices, with the whole window's rate and the slices' spread beside it.
 */
import { performance } from 'node:perf_hooks'
import type { Bundle } from '@medplum/fhirtypes'
import type { FhirContext } from '../../src/fhir/interactions/context.js'
import type { LoadedMapping } from '../../src/mapping/registry.js'
import { runMapping } from '../../src/mapping/run-mapping.js'
import { gpReferralPayload } from './payloads.js'
import { resourcesAsStored } from './as-stored.js'
import { median } from '../stats.js'

export interface Throughput {
  readonly label: string
  /** The median of the one-second slices: a slice another process on the machine slowed counts once. */
  readonly perSecond: number
  /** Over the whole window, and the slowest and fastest slices, for the spread. */
  readonly overall: number
  readonly slowest: number
  readonly fastest: number
  readonly count: number
}

export function measureInProcess (mapping: LoadedMapping, ctx: FhirContext, seconds: number, validate: boolean): Throughput {
  // Payloads are built beforehand so only mapping (and validation) is timed.
  const payloads = Array.from({ length: 2000 }, gpReferralPayload)
  const run = (payload: unknown): void => {
    const bundle = runMapping(mapping, payload) as Bundle
    if (validate) for (const resource of resourcesAsStored(bundle)) ctx.validator.validate(resource)
  }
  // Two seconds of warm-up: 500 payloads left the map-only phase still being optimised by V8.
  const warmUntil = performance.now() + 2000
  for (let i = 0; performance.now() < warmUntil; i++) run(payloads[i % payloads.length])
  let count = 0
  const slices: number[] = []
  const started = performance.now()
  const until = started + seconds * 1000
  let sliceStarted = started
  let sliceCount = 0
  while (performance.now() < until) {
    for (let i = 0; i < 50; i++) run(payloads[(count + i) % payloads.length])
    count += 50
    sliceCount += 50
    const now = performance.now()
    if (now - sliceStarted >= 1000) {
      slices.push(sliceCount / ((now - sliceStarted) / 1000))
      sliceStarted = now
      sliceCount = 0
    }
  }
  const elapsed = (performance.now() - started) / 1000
  return {
    label: validate ? 'map + validate' : 'map only',
    perSecond: median(slices),
    overall: count / elapsed,
    slowest: slices.length === 0 ? 0 : Math.min(...slices),
    fastest: slices.length === 0 ? 0 : Math.max(...slices),
    count
  }
}
