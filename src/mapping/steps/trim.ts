/**
 * `trim`: trims text and drops fields left empty, because forms send "" for a field nobody
 * filled in, and FHIR forbids empty strings.
 */
import type { StepDefinition } from './step.js'

export const trimStep: StepDefinition = {
  name: 'trim',
  description: 'Trims text; a field that is empty after trimming is dropped',
  scope: 'value',
  checkOptions: () => undefined,
  apply (value) {
    if (typeof value !== 'string') return { value }
    const trimmed = value.trim()
    return trimmed === '' ? { remove: true } : { value: trimmed }
  }
}
