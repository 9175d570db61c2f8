/**
 * _summary and _elements: https://hl7.org/fhir/R4/search.html#summary. A trimmed resource is
 * marked SUBSETTED so no client mistakes it for the whole record.
 */
import type { Resource, StructureDefinition } from '@medplum/fhirtypes'

const SUBSETTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' }
const ALWAYS = new Set(['resourceType', 'id', 'meta'])

export interface ElementCatalogue {
  /** Top-level element names marked isSummary, per type (choice elements by their stem). */
  readonly summary: ReadonlyMap<string, ReadonlySet<string>>
  /** Top-level elements with min > 0, per type. */
  readonly mandatory: ReadonlyMap<string, ReadonlySet<string>>
  /** Top-level choice elements (value[x] → value), per type. */
  readonly choices: ReadonlyMap<string, readonly string[]>
}

export function buildElementCatalogue (definitions: ReadonlyMap<string, StructureDefinition>): ElementCatalogue {
  const summary = new Map<string, Set<string>>()
  const mandatory = new Map<string, Set<string>>()
  const choices = new Map<string, string[]>()
  for (const [type, sd] of definitions) {
    const s = new Set<string>()
    const m = new Set<string>()
    const c: string[] = []
    for (const element of sd.snapshot?.element ?? []) {
      const parts = element.path.split('.')
      if (parts.length !== 2) continue
      const name = (parts[1] as string).replace('[x]', '')
      if ((parts[1] as string).endsWith('[x]')) c.push(name)
      if (element.isSummary === true) s.add(name)
      if ((element.min ?? 0) > 0) m.add(name)
    }
    summary.set(type, s)
    mandatory.set(type, m)
    choices.set(type, c)
  }
  return { summary, mandatory, choices }
}

export type Projection = { kind: 'summary' | 'text' | 'data' } | { kind: 'elements', names: readonly string[] }

export function project (resource: Resource, projection: Projection, catalogue: ElementCatalogue): Resource {
  const type = resource.resourceType
  const choiceStems = catalogue.choices.get(type) ?? []
  // valueQuantity → value: choice elements are listed by their stem.
  const stem = (name: string): string => choiceStems.find(c => name.startsWith(c) && /^[A-Z]/.test(name.slice(c.length))) ?? name
  const mandatory = catalogue.mandatory.get(type) ?? new Set<string>()
  let keep: (name: string) => boolean
  switch (projection.kind) {
    case 'data': keep = name => name !== 'text'; break
    case 'text': keep = name => name === 'text' || mandatory.has(stem(name)); break
    case 'summary': {
      const summary = catalogue.summary.get(type) ?? new Set<string>()
      keep = name => summary.has(stem(name))
      break
    }
    case 'elements': {
      const names = new Set(projection.names)
      keep = name => names.has(name) || names.has(stem(name)) || mandatory.has(stem(name))
      break
    }
  }
  const trimmed: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(resource)) {
    if (ALWAYS.has(name) || keep(name)) trimmed[name] = value
  }
  const meta = (trimmed.meta ?? {}) as Resource['meta'] & object
  trimmed.meta = { ...meta, tag: [...(meta.tag ?? []), SUBSETTED] }
  return trimmed as unknown as Resource
}
