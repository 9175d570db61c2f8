/**
 * Parsed profiles, kept for reuse. `validateResource(resource, { profile })` in @medplum/core
 * parses the StructureDefinition again on every call (1.5–2.5 ms for our referral, Task and
 * Consent profiles, about ten times the validation itself; docs/benchmarks.md, issue 5).
 *
 * Medplum's public `loadDataType` files a StructureDefinition whose `type` is an absolute URL
 * under that URL in its schema table, parsed once; `validateTypedValue` then validates against
 * it by that key. Each profile object gets its own key (its canonical URL plus a counter), so
 * two apps in one process holding different profiles under one URL never share a schema, and
 * no FHIR type name (letters only) can collide with a key.
 */
import { loadDataType, OperationOutcomeError, validateTypedValue } from '@medplum/core'
import type { OperationOutcomeIssue, Resource, StructureDefinition } from '@medplum/fhirtypes'
import { passesQuickStructure } from './quick-structure.js'

const keys = new WeakMap<StructureDefinition, string>()
let registered = 0

/** The schema key of a resource profile, registering it on first use. */
export function profileSchemaKey (profile: StructureDefinition): string | undefined {
  const known = keys.get(profile)
  if (known !== undefined) return known
  if (profile.url === undefined || !/^https?:\/\//.test(profile.url)) return undefined
  const key = `${profile.url}#parsed-${++registered}`
  loadDataType({ ...profile, type: key })
  keys.set(profile, key)
  return key
}

/**
 * Medplum's issues for `resource` against `profile` (a profile of the resource's own type).
 * The profile's snapshot holds every element of the base definition, so this covers the base
 * structural checks too. Medplum throws on errors and returns warnings otherwise; it is not run
 * for a resource the quick pass (quick-structure.ts) clears against the profile.
 */
export function profileIssues (resource: Resource, profile: StructureDefinition): OperationOutcomeIssue[] {
  const key = profileSchemaKey(profile)
  if (key !== undefined && passesQuickStructure(resource, key)) return []
  try {
    return key === undefined
      ? validateTypedValue({ type: resource.resourceType, value: resource }, { profile })
      : validateTypedValue({ type: key, value: resource }, {})
  } catch (err) {
    if (err instanceof OperationOutcomeError) return err.outcome.issue ?? []
    throw err
  }
}
