/**
 * FHIR patch: https://hl7.org/fhir/R4/http.html#patch. JSON Patch (RFC 6902) and FHIRPath Patch
 * (a Parameters resource), both applied by @medplum/core, then validated like any update.
 */
import { applyPatch, parseFhirPathPatchParameters, fhirpathPatchTypedValue, toTypedValue, OperationOutcomeError } from '@medplum/core'
import type { Parameters, Resource } from '@medplum/fhirtypes'
import type { Queryable } from '../../store/database.js'
import { GatewayError } from '../../errors.js'
import { withComplexValues } from './fhirpath-patch-values.js'
import type { FhirContext, WriteResult } from './context.js'
import { readResource } from './read.js'
import { updateResource } from './update.js'
import { refuseAuditTrailChange } from '../../audit/append-only.js'
import type { RequestContext } from './request-context.js'

export type Patch =
  | { readonly kind: 'json-patch', readonly operations: unknown }
  | { readonly kind: 'fhirpath-patch', readonly parameters: unknown }

export async function patchResource (ctx: FhirContext, tx: Queryable, type: string, id: string, patch: Patch, ifMatch?: number, request?: RequestContext): Promise<WriteResult> {
  refuseAuditTrailChange(type)
  const current = await readResource(tx, type, id, true, request)
  if (ifMatch !== undefined && current.versionId !== ifMatch) {
    throw new GatewayError('precondition-failed', `If-Match version ${ifMatch} is not the current version of ${type}/${id}`)
  }
  const resource = JSON.parse(current.json) as Resource
  if (patch.kind === 'json-patch') applyJsonPatch(resource, patch.operations)
  else applyFhirPathPatch(resource, patch.parameters)
  if (resource.resourceType !== type || resource.id !== id) {
    throw new GatewayError('invalid', 'A patch may not change resourceType or id', { expression: 'id' })
  }
  // The row stays locked from the read above, so the version cannot move before this update.
  return await updateResource(ctx, tx, id, resource, current.versionId, request)
}

function applyJsonPatch (resource: Resource, operations: unknown): void {
  if (!Array.isArray(operations) || operations.some(op => op === null || typeof op !== 'object' || typeof op.op !== 'string' || typeof op.path !== 'string')) {
    throw new GatewayError('invalid', 'A JSON Patch body must be an array of operations, each with "op" and "path"')
  }
  let errors: unknown[]
  try {
    errors = applyPatch(resource, operations)
  } catch (err) {
    throw new GatewayError('unprocessable', `JSON Patch could not be applied: ${(err as Error).message}`)
  }
  const failed = errors.findIndex(e => e !== null)
  if (failed >= 0) {
    throw new GatewayError('unprocessable', `JSON Patch operation ${failed} could not be applied: ${(errors[failed] as Error).message}`)
  }
}

function applyFhirPathPatch (resource: Resource, parameters: unknown): void {
  if ((parameters as Parameters | null)?.resourceType !== 'Parameters') {
    throw new GatewayError('invalid', 'A FHIRPath Patch body must be a Parameters resource')
  }
  try {
    fhirpathPatchTypedValue(toTypedValue(resource), withComplexValues(resource.resourceType, parameters as Parameters, parseFhirPathPatchParameters(parameters as Parameters)))
  } catch (err) {
    const text = err instanceof OperationOutcomeError ? err.outcome.issue?.[0]?.details?.text : (err as Error).message
    throw new GatewayError('unprocessable', `FHIRPath Patch could not be applied: ${text ?? 'invalid patch'}`)
  }
}
