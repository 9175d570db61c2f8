/**
 * Loads the FHIR R4 base StructureDefinitions (the trimmed core definitions) into @medplum/core's
 * schema index, once per process, before any resource is validated.
 */
import { indexStructureDefinitionBundle } from '@medplum/core'
import type { Bundle, StructureDefinition } from '@medplum/fhirtypes'
import { coreDefinitions } from '../definitions/core-definitions.js'

let loaded = false

export function loadBaseDefinitions (): void {
  if (loaded) return
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'collection',
    entry: coreDefinitions().structureDefinitions.map(resource => ({ resource }))
  }
  indexStructureDefinitionBundle(bundle)
  loaded = true
}

/** The base StructureDefinition of each resource type, with its snapshot. */
export function baseResourceDefinitions (): Map<string, StructureDefinition> {
  const byType = new Map<string, StructureDefinition>()
  for (const sd of coreDefinitions().structureDefinitions) {
    if (sd.kind === 'resource' && sd.derivation !== 'constraint' && sd.type !== undefined) byType.set(sd.type, sd)
  }
  return byType
}
