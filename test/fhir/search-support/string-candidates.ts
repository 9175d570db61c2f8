/**
 * String query values for which medplum's rule (case-insensitive substring of the value) and
 * R4's (case- and accent-folded starts-with, or contains for :contains) give the same answer on
 * every string in the pools: exceptions string-starts-with and string-accents. Queries carry no
 * spaces, so they cannot straddle the parts medplum joins a HumanName from.
 */
import { ALL_STRINGS, MISSING_WORDS } from './pools.js'

/** R4 folding as the spec words it: case and accents (combining marks after NFD) do not count. */
export function specFold (text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

const medplumContains = (value: string, query: string): boolean => value.toLowerCase().includes(query.toLowerCase())

function variants (text: string): string[] {
  return [...new Set([text, text.toLowerCase(), text.toUpperCase()])]
}

function substrings (word: string, prefixesOnly: boolean): string[] {
  const out: string[] = []
  for (let start = 0; start < (prefixesOnly ? 1 : word.length); start++) {
    for (let end = start + 1; end <= word.length; end++) out.push(word.slice(start, end))
  }
  return out.filter(s => !s.includes(' '))
}

function candidates (prefixesOnly: boolean, specRule: (value: string, query: string) => boolean): string[] {
  const all = [...ALL_STRINGS, ...MISSING_WORDS].flatMap(word => substrings(word, prefixesOnly)).flatMap(variants)
  return [...new Set(all)].filter(query => ALL_STRINGS.every(value => specRule(value, query) === medplumContains(value, query))).sort()
}

export const startsWithSpec = (value: string, query: string): boolean => specFold(value).startsWith(specFold(query))
export const containsSpec = (value: string, query: string): boolean => specFold(value).includes(specFold(query))

/** For name=…: prefixes of pool words on which both rules agree. */
export const STARTS_WITH_QUERIES: readonly string[] = candidates(true, startsWithSpec)
/** For name:contains=…: substrings of pool words on which both rules agree. */
export const CONTAINS_QUERIES: readonly string[] = candidates(false, containsSpec)
