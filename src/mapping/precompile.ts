/**
 * @medplum/core's structureMapTransform parses every FHIRPath of a map (source elements, where
 * and check conditions, evaluate expressions) again on every payload, which costs most of a
 * mapping's time. Its evaluator (evalFhirPathTyped) takes a parsed expression as readily as a
 * string, so the map that runs is a copy whose FHIRPath strings are parsed once, at load. The
 * StructureMap the API serves keeps its strings. A source that is one plain name runs as a
 * plain-member-path.ts path.
 */
import { parseFhirPath } from '@medplum/core'
import type { StructureMap, StructureMapGroupRule } from '@medplum/fhirtypes'
import { sourcePath } from './plain-member-path.js'

export function precompile (map: StructureMap): StructureMap {
  const copy = structuredClone(map)
  for (const group of copy.group ?? []) for (const rule of group.rule ?? []) compileRule(rule)
  return copy
}

// The engine reads these fields as `string | FhirPathAtom` at run time; the FHIR types say string.
type Parsed = ReturnType<typeof parseFhirPath>
const parsed = (expression: string): string => parseFhirPath(expression) as Parsed as unknown as string

function compileRule (rule: StructureMapGroupRule): void {
  for (const source of rule.source ?? []) {
    if (typeof source.element === 'string') source.element = sourcePath(parseFhirPath(source.element)) as unknown as string
    if (typeof source.condition === 'string') source.condition = parsed(source.condition)
    if (typeof source.check === 'string') source.check = parsed(source.check)
  }
  for (const target of rule.target ?? []) {
    const expression = target.parameter?.[0]
    if (target.transform === 'evaluate' && typeof expression?.valueString === 'string') expression.valueString = parsed(expression.valueString)
  }
  for (const child of rule.rule ?? []) compileRule(child)
}
