/**
 * UK postcodes as participant profiles carry them: full, or only the first part ("first 4
 * digits", TCF template [001:1806]). Deprivation is derived from full postcodes only
 * (postcode → LSOA → IMD decile [001:788-790]); a partial one places a person in a district,
 * not in a small area, so it is reported as "not derivable" rather than guessed.
 */

export type PostcodeClass =
  | { readonly kind: 'full', readonly postcode: string }
  | { readonly kind: 'partial' }
  | { readonly kind: 'missing' }

// Outward code (area letters, district digit, optional letter/digit), then the inward code
// (sector digit and two unit letters): the shape of every full UK postcode.
const FULL = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/

/** Upper case, single space before the inward code: the form lookups are keyed by. */
export function classifyPostcode (raw: string | undefined): PostcodeClass {
  const text = (raw ?? '').trim().toUpperCase().replace(/\s+/g, ' ')
  if (text === '') return { kind: 'missing' }
  const full = FULL.exec(text.replace(' ', ''))
  if (full === null) return { kind: 'partial' }
  return { kind: 'full', postcode: `${full[1] as string} ${full[2] as string}` }
}
