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
    // In place: documents here are fresh copies (the payload's clone, the engine's output).
    const record = value as Record<string, unknown>
    let kept = 0
    for (const key of Object.keys(record)) {
      const pruned = pruneEmpty(record[key])
      if (pruned === undefined) delete record[key]
      else {
        record[key] = pruned
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
