/**
 * Which map rule produced a FHIR element, so a validation failure of mapped output can name the
 * rule to fix (the 422 of POST /inbound/<mapping>). Built statically from the StructureMaps: each
 * target `ctx.element` is recorded under the FHIR type of `ctx` (known from group inputs,
 * create('Type') and element definitions). An element no rule targets directly is blamed on the
 * nearest ancestor that one does, down to the rule that created the resource.
 */
import { tryGetDataType } from '@medplum/core'
import type { StructureMapGroupRule } from '@medplum/fhirtypes'
import type { ParsedMapFile } from './fml.js'

export interface RuleRef {
  readonly rule: string
  readonly group: string
  readonly file: string
  readonly line: number | undefined
}

export interface RuleIndex {
  /** The rule behind an element of a mapped resource; path like `name[0].family` (no type prefix). */
  producerOf(resourceType: string, path: string): RuleRef | undefined
}

export function describeRule (ref: RuleRef): string {
  return `rule "${ref.rule}" (group ${ref.group}, ${ref.file}${ref.line === undefined ? '' : ` line ${ref.line}`})`
}

export function buildRuleIndex (maps: readonly ParsedMapFile[]): RuleIndex {
  const producers = new Map<string, RuleRef>()
  const record = (key: string, ref: RuleRef): void => { if (!producers.has(key)) producers.set(key, ref) }
  for (const map of maps) {
    for (const group of map.structureMap.group) {
      const types = new Map<string, string>()
      for (const input of group.input) if (input.type !== undefined) types.set(input.name, input.type)
      const visit = (rule: StructureMapGroupRule): void => {
        const ref: RuleRef = { rule: rule.name as string, group: group.name, file: map.file, line: map.ruleLines.get(rule.name as string) }
        for (const source of rule.source ?? []) {
          if (source.variable !== undefined && source.type !== undefined) types.set(source.variable, source.type)
        }
        for (const target of rule.target ?? []) {
          const contextType = target.context === undefined ? undefined : types.get(target.context)
          if (contextType === undefined || target.element === undefined) continue
          const created = target.transform === 'create' ? target.parameter?.[0]?.valueString : undefined
          const produced = created ?? elementType(contextType, target.element)
          if (created !== undefined && tryGetDataType(created)?.kind === 'resource') record(`resource:${created}`, ref)
          record(`${contextType}.${target.element}`, ref)
          if (target.variable !== undefined && produced !== undefined) types.set(target.variable, produced)
        }
        for (const child of rule.rule ?? []) visit(child)
      }
      for (const rule of group.rule ?? []) visit(rule)
    }
  }
  return {
    producerOf (resourceType, path) {
      let best = producers.get(`resource:${resourceType}`)
      let type: string | undefined = resourceType
      for (const segment of path.split('.').map(s => s.replace(/\[\d+\]$/, '')).filter(s => s !== '')) {
        if (type === undefined) break
        best = producers.get(`${type}.${segment}`) ?? best
        type = elementType(type, segment)
      }
      return best
    }
  }
}

function elementType (type: string, element: string): string | undefined {
  // Backbone elements come named by medplum's schema (BundleEntry, PatientContact, …).
  const codes = tryGetDataType(type)?.elements?.[element]?.type ?? []
  return codes.length === 1 ? codes[0]?.code : undefined
}
