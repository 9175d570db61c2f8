/**
 * NHS numbers: ten digits, the last a Modulus 11 check digit (NHS Data Dictionary). Synthetic
 * patients use the 999 range, which is reserved for test data and never issued to a person.
 */

import { nhsCheckDigit } from '../../src/terminology/nhs-number.js'

export { isValidNhsNumber, nhsCheckDigit } from '../../src/terminology/nhs-number.js'

const TEST_RANGE_PREFIX = '999'
const SLOTS = 1_000_000
/** Odd and not a multiple of 5, so stepping by it visits every slot once before repeating. */
const STRIDE = 387_731

/**
 * Hands out distinct valid test-range NHS numbers in a seed-dependent order. About one slot in
 * eleven has no valid check digit and is skipped, so roughly 909,000 numbers are available.
 */
export function createNhsNumberSource (seed: number): () => string {
  let slot = (seed >>> 0) % SLOTS
  let visited = 0
  return () => {
    while (visited < SLOTS) {
      const firstNine = TEST_RANGE_PREFIX + String(slot).padStart(6, '0')
      slot = (slot + STRIDE) % SLOTS
      visited += 1
      const check = nhsCheckDigit(firstNine)
      if (check !== undefined) return firstNine + String(check)
    }
    throw new Error('The 999 test range has no unused NHS numbers left for this population')
  }
}
