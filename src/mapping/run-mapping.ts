/**
 * Runs one mapping on one payload, with plain arguments (no HTTP): schema check, pre-steps,
 * the FML map (@medplum/core structureMapTransform), stable urn:uuids, post-steps. A payload
 * problem is a GatewayError 'invalid' (400) listing every problem with its JSON Pointer; a rule
 * the engine cannot run is 'unprocessable' (422) naming the mapping.
 */
import { createHash } from 'node:crypto'
import { structureMapTransform, toTypedValue, TransformMapCollection, tryGetDataType } from '@medplum/core'
import { GatewayError } from '../errors.js'
import { applySteps } from './apply-steps.js'
import { payloadError } from './mapping-error.js'
import type { LoadedMapping } from './registry.js'
import { stableUuids } from './stable-uuids.js'

export function runMapping (mapping: LoadedMapping, payload: unknown): unknown {
  if (mapping.unavailable !== undefined) throw new GatewayError('unavailable', `Mapping ${mapping.name} cannot run on this gateway: ${mapping.unavailable}`)
  const schemaProblems = mapping.validatePayload?.(payload) ?? []
  if (schemaProblems.length > 0) throw payloadError(mapping.name, schemaProblems)

  // Steps change the document in place; the caller's payload stays as it was sent.
  const pre = applySteps(structuredClone(payload), mapping.pre, mapping.env)
  if (pre.problems.length > 0) throw payloadError(mapping.name, pre.problems)

  let outputs
  try {
    // A fresh collection each run: the engine adds contained maps to it while running.
    outputs = structureMapTransform(mapping.executable, [toTypedValue(pre.document)], new TransformMapCollection([...mapping.transformMaps]))
  } catch (err) {
    throw new GatewayError('unprocessable', `Mapping ${mapping.name} ${mapping.version} could not run on this payload: ${(err as Error).message}`, { cause: err })
  }
  const first = outputs[0]
  if (first === undefined) throw new GatewayError('fault', `Mapping ${mapping.name} has no target`)
  const output = withResourceType(first.type, first.value)
  const seed = createHash('sha256').update(JSON.stringify(payload) ?? '').digest('hex')
  return applySteps(stableUuids(output, seed), mapping.post, mapping.env).document
}

/** A target declared as a resource type (`target bundle : Bundle`) comes out without resourceType. */
function withResourceType (type: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || 'resourceType' in value) return value
  return tryGetDataType(type)?.kind === 'resource' ? { resourceType: type, ...value } : value
}
