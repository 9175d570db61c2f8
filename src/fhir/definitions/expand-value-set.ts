/**
 * Expands an R4 ValueSet defined by enumeration (listed concepts, or whole code systems) into
 * its codes. Used when the core definitions are generated; a value set built with filters or
 * other value sets is left unexpanded.
 */
import type { CodeSystem, CodeSystemConcept, ValueSet } from '@medplum/fhirtypes'

export interface Expansion {
  readonly codes: readonly string[]
  /** The one code system the value set draws on, if it draws on exactly one. */
  readonly system: string | undefined
}

export function expandValueSet (
  valueSet: ValueSet | undefined, codeSystems: ReadonlyMap<string, CodeSystem>
): Expansion | undefined {
  const include = valueSet?.compose?.include
  if (include === undefined) return undefined
  const codes = new Set<string>()
  const systems = new Set(include.map(part => part.system))
  for (const part of include) {
    if (part.filter !== undefined || part.valueSet !== undefined) return undefined
    if (part.concept !== undefined) {
      for (const concept of part.concept) codes.add(concept.code as string)
      continue
    }
    const system = part.system === undefined ? undefined : codeSystems.get(part.system)
    if (system?.concept === undefined) return undefined
    collect(system.concept, codes)
  }
  const [system] = systems
  return codes.size > 0 ? { codes: [...codes], system: systems.size === 1 ? system : undefined } : undefined
}

function collect (concepts: CodeSystemConcept[] | undefined, into: Set<string>): void {
  for (const concept of concepts ?? []) {
    into.add(concept.code as string)
    collect(concept.concept, into)
  }
}
