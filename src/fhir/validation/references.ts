/**
 * Reference format: https://hl7.org/fhir/R4/references.html#literal. A stored reference is
 * relative (Type/id, optionally /_history/vid), absolute (http(s)://…), a contained fragment (#id)
 * or a canonical urn:oid. Bundle-local urn:uuid references must have been resolved before storage.
 */
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes'
import { isResourceType } from '@medplum/core'
import { forEachReference, locationOf } from '../reference-walk.js'

const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/
const ABSOLUTE = /^https?:\/\/\S+$/
const CONTAINED = /^#[A-Za-z0-9\-.]{0,64}$/
const OID = /^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/

export function checkReferenceFormats (resource: Resource): OperationOutcomeIssue[] {
  // Nearly every resource has only good references: a first pass only tests them, without the
  // key stack the locating walk keeps (validation with the locating walk alone was 5–15% slower,
  // bench/mapping/ab.ts).
  if (allWellFormed(resource)) return []
  const issues: OperationOutcomeIssue[] = []
  forEachReference(resource, (_holder, reference, segments) => {
    const problem = referenceProblem(reference)
    if (problem !== undefined) {
      issues.push({ severity: 'error', code: 'invalid', details: { text: problem }, expression: [`${locationOf(resource.resourceType, segments)}.reference`] })
    }
  }, 'contained')
  return issues
}

function referenceProblem (reference: string): string | undefined {
  const relative = RELATIVE.exec(reference)
  if (relative !== null) {
    return isResourceType(relative[1] as string) ? undefined : `Reference names an unknown resource type "${relative[1]}"`
  }
  if (ABSOLUTE.test(reference) || CONTAINED.test(reference) || OID.test(reference)) return undefined
  if (reference.startsWith('urn:uuid:')) return 'Reference to a bundle entry (urn:uuid) that does not resolve'
  return 'Reference is not a valid literal reference (Type/id, absolute URL or #contained)'
}

/** True when every Reference.reference string (outside contained resources) has no problem. */
function allWellFormed (value: unknown): boolean {
  if (Array.isArray(value)) {
    for (const item of value) if (!allWellFormed(item)) return false
    return true
  }
  if (value === null || typeof value !== 'object') return true
  const object = value as Record<string, unknown>
  for (const key in object) {
    const child = object[key]
    if (key === 'reference' && typeof child === 'string') {
      if (referenceProblem(child) !== undefined) return false
    } else if (key !== 'contained' && !allWellFormed(child)) {
      return false
    }
  }
  return true
}
