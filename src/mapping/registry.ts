/** The mappings loaded at start, by name: what the routes, the CLI and the fixture runner share. */
import type { ConceptMap, StructureMap } from '@medplum/fhirtypes'
import type { StepCall } from './apply-steps.js'
import type { PayloadValidator } from './payload-schema.js'
import type { RuleIndex } from './rule-index.js'
import type { StepEnvironment } from './steps/step.js'

export interface LoadedMapping {
  readonly name: string
  readonly version: string
  readonly title: string
  readonly description: string | undefined
  readonly format: 'json' | 'csv'
  readonly direction: 'inbound' | 'outbound'
  readonly maxBytes: number | undefined
  /** The folder, for fixtures and messages. */
  readonly dir: string
  /** The entry map as a StructureMap resource (id = name, version = manifest version). */
  readonly structureMap: StructureMap
  /** The entry map as it runs: FHIRPath parsed once (precompile.ts). */
  readonly executable: StructureMap
  /** Imported StructureMaps (precompiled) and the folder's ConceptMaps, for structureMapTransform. */
  readonly transformMaps: ReadonlyArray<StructureMap | ConceptMap>
  readonly conceptMaps: readonly ConceptMap[]
  /** Absent when the non-FHIR side is the output (outbound mappings). */
  readonly validatePayload: PayloadValidator | undefined
  readonly pre: readonly StepCall[]
  readonly post: readonly StepCall[]
  readonly rules: RuleIndex
  readonly env: StepEnvironment
  /** Why the mapping cannot run on this gateway (a conformance resource it needs is not held). */
  readonly unavailable: string | undefined
}

export interface MappingRegistry {
  get(name: string): LoadedMapping | undefined
  readonly mappings: readonly LoadedMapping[]
}

/** What the FHIR API serves of the mappings: each entry StructureMap and ConceptMap. */
export function mappingResources (registry: MappingRegistry): Array<StructureMap | ConceptMap> {
  return registry.mappings.flatMap(m => [m.structureMap, ...m.conceptMaps])
}

export function createRegistry (mappings: readonly LoadedMapping[]): MappingRegistry {
  const byName = new Map(mappings.map(m => [m.name, m]))
  return { get: name => byName.get(name), mappings }
}
