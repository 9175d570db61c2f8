/**
 * `nhs-number`: strips the spaces and hyphens people type (`943 476 5919`), then applies the
 * Modulus 11 check of src/terminology/nhs-number.ts, so a bad number is reported at its payload
 * field before anything is mapped.
 */
import { nhsNumberProblem } from '../../terminology/nhs-number.js'
import type { StepDefinition } from './step.js'

export const nhsNumberStep: StepDefinition = {
  name: 'nhs-number',
  description: 'Removes spaces and hyphens from an NHS number and checks its Modulus 11 check digit',
  scope: 'value',
  checkOptions: () => undefined,
  apply (value) {
    if (typeof value !== 'string') return { problem: 'must be an NHS number written as text' }
    const digits = value.replace(/[\s-]/g, '')
    const problem = nhsNumberProblem(digits)
    return problem === undefined ? { value: digits } : { problem }
  }
}
