/**
 * Pack-1 (gp-referral-json) payloads for the mapping bench: the normal fixture with a fresh
 * referral id and a fresh valid NHS number each time, so no idempotency receipt, conditional
 * create or cache sees the same person twice.
 */
import { readFileSync } from 'node:fs'
import { nhsCheckDigit } from '../../src/terminology/nhs-number.js'

const template = JSON.parse(readFileSync(new URL('../../mappings/gp-referral-json/fixtures/normal.input.json', import.meta.url), 'utf8')) as Record<string, unknown>

let next = Math.floor(Math.random() * 1e8)

/** The next valid NHS number: nine digits from a counter and their Modulus 11 check digit. */
export function nextNhsNumber (): string {
  while (true) {
    const firstNine = String(400_000_000 + (next++ % 500_000_000)).padStart(9, '0')
    const check = nhsCheckDigit(firstNine)
    if (check !== undefined) return `${firstNine}${check}`
  }
}

export function gpReferralPayload (): Record<string, unknown> {
  const nhsNumber = nextNhsNumber()
  return {
    ...template,
    referralId: `BENCH-${nhsNumber}`,
    person: { ...(template.person as Record<string, unknown>), nhsNumber }
  }
}
