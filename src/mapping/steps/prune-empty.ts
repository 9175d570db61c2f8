/**
 * `prune-empty` (post): removes empty strings, objects and arrays from the map's output. An FML
 * rule that opens an element (`p.name as n`) whose children then find nothing leaves `{}`, which
 * FHIR forbids.
 */
import type { StepDefinition } from './step.js'

export function pruneEmpty (value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(pruneEmpty).filter(item => item !== undefined)
    return items.length === 0 ? undefined : items
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, pruneEmpty(v)] as const).filter(([, v]) => v !== undefined)
    return entries.length === 0 ? undefined : Object.fromEntries(entries)
  }
  return value === '' ? undefined : value
}

export const pruneEmptyStep: StepDefinition = {
  name: 'prune-empty',
  description: 'Removes empty strings, objects and arrays from the whole document',
  scope: 'document',
  checkOptions: () => undefined,
  apply: value => ({ value: pruneEmpty(value) ?? {} })
}
