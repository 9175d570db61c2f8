/**
 * Search criteria for the interactions that need to find a resource: conditional create and
 * update, conditional references in transactions, and the basic search-type interaction.
 * Supported now: _id and identifier (token), OR with commas, AND by repeating a parameter.
 */
import { GatewayError } from '../../errors.js'

export type Criterion =
  | { readonly kind: 'id', readonly value: string }
  /** system null means "no system" (|value); undefined means any system. value undefined means any value. */
  | { readonly kind: 'identifier', readonly system: string | null | undefined, readonly value: string | undefined }

/** Each inner array is an OR group; the groups are ANDed. */
export type Criteria = readonly (readonly Criterion[])[]

/** Search parameters this store can evaluate, per the CapabilityStatement. */
export const BASIC_SEARCH_PARAMETERS = [
  { name: '_id', type: 'token', documentation: 'Logical id of the resource' },
  { name: 'identifier', type: 'token', documentation: 'Business identifier: system|value, |value, system| or value' }
] as const

/** Parameters that shape the result rather than select resources. */
const RESULT_PARAMETERS = new Set(['_count', '_format', '_pretty', '_summary', '_elements', '_total'])

export function parseCriteria (params: URLSearchParams, typesWithIdentifier: ReadonlySet<string>, type: string): Criteria {
  const groups: Criterion[][] = []
  for (const [name, raw] of params) {
    if (RESULT_PARAMETERS.has(name)) continue
    if (name === '_id') {
      groups.push(splitOnUnescaped(raw, ',').map(value => ({ kind: 'id', value: unescape(value) })))
    } else if (name === 'identifier' && typesWithIdentifier.has(type)) {
      groups.push(splitOnUnescaped(raw, ',').map(parseIdentifierToken))
    } else {
      throw new GatewayError('invalid', `Search parameter "${name}" is not supported for ${type}`, { expression: name })
    }
    if (groups.at(-1)?.some(c => (c.kind === 'id' ? c.value : (c.value ?? c.system ?? '')) === '') === true) {
      throw new GatewayError('invalid', `Search parameter "${name}" has an empty value`, { expression: name })
    }
  }
  return groups
}

function parseIdentifierToken (token: string): Criterion {
  const parts = splitOnUnescaped(token, '|')
  if (parts.length === 1) return { kind: 'identifier', system: undefined, value: unescape(token) }
  if (parts.length !== 2) throw new GatewayError('invalid', 'identifier token has more than one "|"', { expression: 'identifier' })
  const [system = '', value = ''] = parts
  return {
    kind: 'identifier',
    system: system === '' ? null : unescape(system),
    value: value === '' ? undefined : unescape(value)
  }
}

/** FHIR search escaping: https://hl7.org/fhir/R4/search.html#escaping */
function splitOnUnescaped (text: string, separator: ',' | '|'): string[] {
  const parts: string[] = []
  let current = ''
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string
    if (char === '\\' && i + 1 < text.length) {
      current += char + (text[i + 1] as string)
      i++
    } else if (char === separator) {
      parts.push(current)
      current = ''
    } else {
      current += char
    }
  }
  parts.push(current)
  return parts
}

function unescape (text: string): string {
  return text.replace(/\\([\\,|$])/g, '$1')
}
