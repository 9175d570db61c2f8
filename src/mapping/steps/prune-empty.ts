/**
 * `prune-empty` (post): removes empty strings, objects and arrays from the map's output. An FML
 * rule that opens an element (`p.name as n`) whose children then find nothing leaves `{}`, which
 * FHIR forbids.
 */
import type { StepDefinition } from './step.js'

export function pruneEmpty (value: unknown): unknown {
  if (Array.isArray(value)) {
    const items: unknown[] = []
    for (const item of value) {
      const pruned = pruneEmpty(item)
      if (pruned !== undefined) items.push(pruned)
    }
    return items.length === 0 ? undefined : items
  }
  if (value !== null && typeof value === 'object') {
    // In place: documents here are fresh copies (the payload's clone, the engine's output).
    // for...in: no key array per object; deleting only what is empty (rare) keeps the rest fast.
    const record = value as Record<string, unknown>
    let kept = 0
    for (const key in record) {
      const child = record[key]
      const pruned = pruneEmpty(child)
      if (pruned === undefined) delete record[key]
      else {
        if (pruned !== child) record[key] = pruned
        kept++
      }
    }
    return kept === 0 ? undefined : record
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
