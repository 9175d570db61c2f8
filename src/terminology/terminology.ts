/**
 * The CodeSystems and ValueSets under profiles/, indexed once at start: expansion, lookup and
 * validate-code answer from memory, so checking a code costs a map lookup, not a query.
 * A ValueSet may include enumerated concepts of any system, or a whole CodeSystem we hold;
 * filters and imports are refused at load, since nothing here could expand them.
 */
import type { CodeSystem, CodeSystemConcept, Resource, ValueSet, ValueSetExpansionContains } from '@medplum/fhirtypes'
import { ProfileLoadError } from '../fhir/validation/conformance-files.js'

export interface Concept {
  readonly system: string
  readonly code: string
  readonly display: string | undefined
  readonly version?: string
}

export interface ExpandedValueSet {
  readonly valueSet: ValueSet
  readonly concepts: readonly Concept[]
  /** system → code → concept */
  readonly index: ReadonlyMap<string, ReadonlyMap<string, Concept>>
}

export interface Terminology {
  readonly codeSystems: ReadonlyMap<string, CodeSystem>
  readonly valueSets: ReadonlyMap<string, ExpandedValueSet>
  /** The concept of a held CodeSystem, or undefined (unknown system or code). */
  lookup(system: string, code: string): Concept | undefined
  /** Whether the system is one we hold completely, so an unknown code in it is an error. */
  isCompleteSystem(system: string): boolean
  valueSet(url: string): ExpandedValueSet | undefined
}

export function buildTerminology (resources: readonly Resource[], source = 'profiles'): Terminology {
  const codeSystems = new Map<string, CodeSystem>()
  const concepts = new Map<string, Map<string, Concept>>()
  for (const resource of resources) {
    if (resource.resourceType !== 'CodeSystem' || resource.url === undefined) continue
    codeSystems.set(resource.url, resource)
    const byCode = new Map<string, Concept>()
    const collect = (list: CodeSystemConcept[] | undefined): void => {
      for (const concept of list ?? []) {
        byCode.set(concept.code as string, { system: resource.url as string, code: concept.code as string, display: concept.display, ...(resource.version === undefined ? {} : { version: resource.version }) })
        collect(concept.concept)
      }
    }
    collect(resource.concept)
    concepts.set(resource.url, byCode)
  }

  const valueSets = new Map<string, ExpandedValueSet>()
  for (const resource of resources) {
    if (resource.resourceType !== 'ValueSet' || resource.url === undefined) continue
    valueSets.set(resource.url, expand(resource, concepts, source))
  }

  return {
    codeSystems,
    valueSets,
    lookup: (system, code) => concepts.get(system)?.get(code),
    isCompleteSystem: (system) => codeSystems.get(system)?.content === 'complete',
    valueSet: (url) => valueSets.get(url.split('|')[0] ?? url)
  }
}

function expand (valueSet: ValueSet, concepts: ReadonlyMap<string, ReadonlyMap<string, Concept>>, source: string): ExpandedValueSet {
  const list: Concept[] = []
  const index = new Map<string, Map<string, Concept>>()
  const add = (concept: Concept): void => {
    const bySystem = index.get(concept.system) ?? new Map<string, Concept>()
    if (bySystem.has(concept.code)) return
    bySystem.set(concept.code, concept)
    index.set(concept.system, bySystem)
    list.push(concept)
  }
  for (const include of valueSet.compose?.include ?? []) {
    if (include.filter !== undefined || include.valueSet !== undefined || include.system === undefined) {
      throw new ProfileLoadError(`${source}: ValueSet ${valueSet.url ?? ''} uses filters, imports or an include without a system, which this server does not expand`)
    }
    if (include.concept !== undefined) {
      for (const c of include.concept) {
        const held = concepts.get(include.system)
        if (held !== undefined && !held.has(c.code as string)) {
          throw new ProfileLoadError(`${source}: ValueSet ${valueSet.url ?? ''} names ${include.system}|${c.code ?? ''}, which its CodeSystem does not define`)
        }
        add({ system: include.system, code: c.code as string, display: c.display ?? held?.get(c.code as string)?.display })
      }
      continue
    }
    const whole = concepts.get(include.system)
    if (whole === undefined) throw new ProfileLoadError(`${source}: ValueSet ${valueSet.url ?? ''} includes all of ${include.system}, which this server does not hold`)
    for (const concept of whole.values()) add(concept)
  }
  return { valueSet, concepts: list, index }
}

/** ValueSet.expansion.contains for a list of concepts. */
export function containsOf (concepts: readonly Concept[]): ValueSetExpansionContains[] {
  return concepts.map(c => ({ system: c.system, code: c.code, ...(c.display === undefined ? {} : { display: c.display }), ...(c.version === undefined ? {} : { version: c.version }) }))
}
