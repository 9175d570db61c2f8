/**
 * Parsing of search values by parameter type (https://hl7.org/fhir/R4/search.html): escaping,
 * prefixes, precision ranges. A malformed value throws a 400 naming the parameter.
 */
import { GatewayError } from '../../errors.js'
import { dateRange } from './date-range.js'
import { sqlInstant } from './sql-instant.js'
import type { NumberValue, Prefix, QuantityValue, RangeValue, ReferenceValue, TokenValue } from './query.js'

const PREFIXES: readonly Prefix[] = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap']
const DECIMAL = /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/
const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/
const ID = /^[A-Za-z0-9\-.]{1,64}$/

export function invalid (name: string, message: string): GatewayError {
  return new GatewayError('invalid', `Search parameter "${name}": ${message}`, { expression: name })
}

/** Splits on a separator not escaped with a backslash: https://hl7.org/fhir/R4/search.html#escaping */
export function splitUnescaped (text: string, separator: string): string[] {
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

export function unescape (text: string): string {
  return text.replace(/\\([\\,|$])/g, '$1')
}

export function parseToken (name: string, raw: string): TokenValue {
  const parts = splitUnescaped(raw, '|')
  if (parts.length === 1) {
    if (raw === '') throw invalid(name, 'empty value')
    return { system: undefined, code: unescape(raw) }
  }
  if (parts.length !== 2) throw invalid(name, `"${raw}" has more than one unescaped "|"`)
  const [system = '', code = ''] = parts
  if (system === '' && code === '') throw invalid(name, 'empty value')
  return { system: system === '' ? null : unescape(system), code: code === '' ? undefined : unescape(code) }
}

function splitPrefix (raw: string): [Prefix, string] {
  const candidate = raw.slice(0, 2)
  return (PREFIXES as readonly string[]).includes(candidate) && !/^\d/.test(candidate)
    ? [candidate as Prefix, raw.slice(2)]
    : ['eq', raw]
}

export function parseDate (name: string, raw: string): RangeValue {
  const [prefix, text] = splitPrefix(raw)
  const range = dateRange(text)
  if (range === undefined) throw invalid(name, `"${raw}" is not a date, dateTime or instant (with an optional prefix such as ge)`)
  return { prefix, low: sqlInstant(range.low), high: sqlInstant(range.high), lowMs: range.low.getTime(), highMs: range.high.getTime() }
}

/** A number's implicit range from its significant figures: 100 is [99.5, 100.5). */
export function parseNumber (name: string, raw: string): NumberValue {
  const [prefix, text] = splitPrefix(raw)
  if (!DECIMAL.test(text)) throw invalid(name, `"${raw}" is not a number (with an optional prefix such as lt)`)
  const value = Number(text)
  const [mantissa = '', exponent] = text.toLowerCase().split('e')
  const decimals = (mantissa.split('.')[1] ?? '').length - Number(exponent ?? 0)
  const half = 0.5 * 10 ** -decimals
  return { prefix, value, low: value - half, high: value + half }
}

export function parseQuantity (name: string, raw: string): QuantityValue {
  const parts = splitUnescaped(raw, '|')
  if (parts.length !== 1 && parts.length !== 3) throw invalid(name, `"${raw}" is not number, number|system|code or number||code`)
  const number = parseNumber(name, parts[0] ?? '')
  const system = parts[1] === undefined || parts[1] === '' ? undefined : unescape(parts[1])
  const unit = parts[2] === undefined || parts[2] === '' ? undefined : unescape(parts[2])
  return { ...number, system, unit }
}

export function parseReference (name: string, raw: string, targetType: string | undefined, fhirBaseUrl?: string): ReferenceValue {
  const unescaped = unescape(raw)
  // An absolute URL under our own base names a local resource.
  const text = fhirBaseUrl !== undefined && unescaped.startsWith(`${fhirBaseUrl}/`) ? unescaped.slice(fhirBaseUrl.length + 1) : unescaped
  const relative = RELATIVE.exec(text)
  if (relative !== null) {
    if (targetType !== undefined && relative[1] !== targetType) throw invalid(name, `"${raw}" does not name a ${targetType}`)
    return { type: relative[1], id: relative[2], url: undefined }
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return { type: undefined, id: undefined, url: text }
  if (ID.test(text)) return { type: targetType, id: text, url: undefined }
  throw invalid(name, `"${raw}" is not an id, [type]/[id] or an absolute URL`)
}
