/**
 * Turns a search query string into a SearchQuery, checking every parameter against the registry.
 * Unknown parameters are a 400 naming them, or are ignored and reported with handling=lenient.
 */
import { GatewayError } from '../../errors.js'
import { invalid, parseDate, parseNumber, parseQuantity, parseReference, parseToken, splitUnescaped, unescape } from './parse-values.js'
import type { Condition, IncludeSpec, SearchQuery, SecondValue, SortKey } from './query.js'
import type { SearchParamDef, SearchRegistry } from './registry.js'

export interface ParseOptions {
  readonly registry: SearchRegistry
  readonly defaultCount: number
  readonly maxCount: number
  readonly lenient: boolean
  /** A reference given as an absolute URL under this base is a local reference. */
  readonly fhirBaseUrl?: string
}

const RESULT_PARAMS = new Set(['_count', '_sort', '_include', '_revinclude', '_total', '_summary', '_elements', '_format', '_pretty', '_cursor', '_type'])
const MAX_CHAIN_DEPTH = 4
/** Bounds on one query's size, well inside PostgreSQL's 65535 bind parameters per statement. */
const MAX_PARAMETERS = 100
const MAX_OR_VALUES = 500

export function parseSearch (types: readonly string[], params: URLSearchParams, options: ParseOptions): SearchQuery {
  const conditions: Condition[] = []
  const ignored: Array<{ name: string, reason: string }> = []
  const include: IncludeSpec[] = []
  const revinclude: IncludeSpec[] = []
  const linkParams = new URLSearchParams()
  let sort: SortKey[] = []
  let count = options.defaultCount
  let total: SearchQuery['total']
  let summary: SearchQuery['summary']
  let elements: string[] | undefined
  let cursor: string | undefined

  const names = [...params.keys()]
  if (names.length > MAX_PARAMETERS) throw invalid(names[MAX_PARAMETERS] as string, `a search may have at most ${MAX_PARAMETERS} parameters`)
  for (const [name, value] of params) {
    if (name.includes('\u0000') || value.includes('\u0000')) throw invalid(name, 'contains a NUL character')
    if (name !== '_cursor') linkParams.append(name, value)
    const base = name.split(':')[0] as string
    try {
      if (RESULT_PARAMS.has(base)) {
        switch (base) {
          case '_count': count = parseCount(value, options.maxCount); break
          case '_sort': sort = parseSort(types, value, options.registry); break
          case '_include': include.push(...parseInclude(name, value, options.registry, types, false)); break
          case '_revinclude': revinclude.push(...parseInclude(name, value, options.registry, types, true)); break
          case '_total': total = oneOf(name, value, ['none', 'estimate', 'accurate'] as const); break
          case '_summary': summary = oneOf(name, value, ['true', 'false', 'text', 'data', 'count'] as const); break
          case '_elements': elements = value.split(',').map(e => e.trim()).filter(e => e !== ''); break
          case '_cursor': cursor = value; break
          default: break // _format and _pretty are handled by content negotiation; _type by the caller.
        }
        continue
      }
      conditions.push(parseCondition(types, name, value, options, 0))
    } catch (err) {
      if (options.lenient && err instanceof GatewayError && err.category === 'invalid' && !RESULT_PARAMS.has(base)) {
        ignored.push({ name, reason: err.message })
        linkParams.delete(name)
        continue
      }
      throw err
    }
  }
  return { types, conditions, sort, count, cursor, include, revinclude, total, summary, elements, ignored, params: linkParams }
}

function parseCondition (types: readonly string[], name: string, value: string, options: ParseOptions, depth: number): Condition {
  const { registry } = options
  if (depth > MAX_CHAIN_DEPTH) throw invalid(name, 'chains and _has are nested too deeply')
  if (name.startsWith('_has:')) return parseHas(types, name, value, options, depth)
  const dot = name.indexOf('.')
  if (dot > 0) return parseChain(types, name, dot, value, options, depth)
  const [code = '', modifier] = splitOnce(name, ':')
  const param = commonParam(types, code, registry, name)
  if (modifier === 'missing') {
    if (value !== 'true' && value !== 'false') throw invalid(name, ':missing takes true or false')
    return code === '_id' || code === '_lastUpdated'
      ? { kind: 'id', values: [], negate: value === 'false' }
      : { kind: 'missing', param, missing: value === 'true' }
  }
  const values = splitUnescaped(value, ',')
  if (values.some(v => v === '')) throw invalid(name, 'empty value')
  if (values.length > MAX_OR_VALUES) throw invalid(name, `at most ${MAX_OR_VALUES} comma-separated values`)
  if (code === '_id') {
    if (modifier !== undefined && modifier !== 'not') throw invalid(name, `modifier :${modifier} is not supported`)
    return { kind: 'id', values: values.map(unescape), negate: modifier === 'not' }
  }
  if (code === '_lastUpdated') {
    if (modifier !== undefined) throw invalid(name, `modifier :${modifier} is not supported`)
    return { kind: 'last-updated', values: values.map(v => parseDate(name, v)) }
  }
  switch (param.type) {
    case 'token':
      if (modifier === 'text') return { kind: 'token-text', param, values: values.map(unescape) }
      if (modifier === 'in' || modifier === 'not-in') return { kind: 'token-in', param, negate: modifier === 'not-in', valueSet: unescape(value) }
      if (modifier === 'of-type') return { kind: 'token', param, modifier, values: values.map(v => parseOfType(name, v)) }
      if (modifier !== undefined && modifier !== 'not') throw invalid(name, `modifier :${modifier} is not supported for token parameters`)
      return { kind: 'token', param, modifier: modifier ?? 'none', values: values.map(v => parseToken(name, v)) }
    case 'string':
      if (modifier !== undefined && modifier !== 'exact' && modifier !== 'contains') throw invalid(name, `modifier :${modifier} is not supported for string parameters`)
      return { kind: 'string', param, modifier: modifier ?? 'none', values: values.map(unescape) }
    case 'reference':
      if (modifier === 'identifier') return { kind: 'token', param, modifier: 'identifier', values: values.map(v => parseToken(name, v)) }
      if (modifier !== undefined && !param.targets.includes(modifier)) throw invalid(name, `modifier :${modifier} is not a target type of ${code}`)
      return {
        kind: 'reference',
        param,
        values: values.map(v => {
          const target = modifier ?? (param.targets.length === 1 ? param.targets[0] : undefined)
          return parseReference(name, v, target, options.fhirBaseUrl)
        })
      }
    case 'date':
      noModifier(name, modifier)
      return { kind: 'date', param, values: values.map(v => parseDate(name, v)) }
    case 'number':
      noModifier(name, modifier)
      return { kind: 'number', param, values: values.map(v => parseNumber(name, v)) }
    case 'quantity':
      noModifier(name, modifier)
      return { kind: 'quantity', param, values: values.map(v => parseQuantity(name, v)) }
    case 'uri':
      if (modifier !== undefined && modifier !== 'below' && modifier !== 'above') throw invalid(name, `modifier :${modifier} is not supported for uri parameters`)
      return { kind: 'uri', param, modifier: modifier ?? 'none', values: values.map(unescape) }
    case 'composite':
      noModifier(name, modifier)
      return { kind: 'composite', param, values: values.map(v => parseComposite(name, v, param)) }
  }
}

function parseChain (types: readonly string[], name: string, dot: number, value: string, options: ParseOptions, depth: number): Condition {
  const { registry } = options
  const head = name.slice(0, dot)
  const rest = name.slice(dot + 1)
  const [code = '', typeModifier] = splitOnce(head, ':')
  const param = commonParam(types, code, registry, name)
  if (param.type !== 'reference') throw invalid(name, `${code} is not a reference parameter, so it cannot be chained`)
  if (typeModifier !== undefined && !param.targets.includes(typeModifier)) throw invalid(name, `${typeModifier} is not a target type of ${code}`)
  const chainedCode = splitOnce(rest.split('.')[0] as string, ':')[0] as string
  const candidates = typeModifier !== undefined ? [typeModifier] : param.targets
  const targetTypes = candidates.filter(t => chainedCode.startsWith('_has') || registry.get(t, chainedCode) !== undefined || chainedCode === '_id' || chainedCode === '_lastUpdated')
  if (targetTypes.length === 0) throw invalid(name, `no target type of ${code} has a search parameter "${chainedCode}"`)
  return { kind: 'chain', param, targetTypes, inner: parseCondition(targetTypes, rest, value, options, depth + 1) }
}

/** _has:[type]:[reference parameter of type]:[parameter of type]=value */
function parseHas (types: readonly string[], name: string, value: string, options: ParseOptions, depth: number): Condition {
  const { registry } = options
  const match = /^_has:([A-Z][A-Za-z]+):([A-Za-z0-9_-]+):(.+)$/.exec(name)
  if (match === null) throw invalid(name, '_has must be _has:[type]:[reference parameter]:[parameter]')
  const [, sourceType = '', refCode = '', rest = ''] = match
  const param = registry.get(sourceType, refCode)
  if (param === undefined) throw invalid(name, `${sourceType} has no search parameter "${refCode}" (or ${sourceType} is not stored here)`)
  if (param.type !== 'reference') throw invalid(name, `${sourceType}.${refCode} is not a reference parameter`)
  if (!types.some(t => param.targets.includes(t))) throw invalid(name, `${sourceType}.${refCode} never points at ${types.join(' or ')}`)
  return { kind: 'has', sourceType, param, inner: parseCondition([sourceType], rest, value, options, depth + 1) }
}

/** The parameter every searched type defines identically (type-level search has just one type). */
function commonParam (types: readonly string[], code: string, registry: SearchRegistry, name: string): SearchParamDef {
  const defs = types.map(t => registry.get(t, code))
  const first = defs[0]
  if (first === undefined || defs.some(d => d === undefined || d.type !== first.type)) {
    throw invalid(name, types.length === 1 ? `unknown search parameter for ${types[0]}` : `not a search parameter common to ${types.join(', ')}`)
  }
  const storages = defs.map(d => (d as SearchParamDef).storedAs.join(' '))
  if (storages.every(storage => storage === storages[0])) return first
  return { ...first, storedAsByType: new Map(types.map((type, i) => [type, (defs[i] as SearchParamDef).storedAs])) }
}

function parseOfType (name: string, raw: string): { system: string | null | undefined, code: string | undefined } {
  const parts = splitUnescaped(raw, '|')
  if (parts.length !== 3 || parts.some(p => p === '')) throw invalid(name, ':of-type takes system|code|value')
  const [system = '', code = '', value = ''] = parts.map(unescape)
  return { system, code: `${code}|${value}` }
}

function parseComposite (name: string, raw: string, param: SearchParamDef): { token: ReturnType<typeof parseToken>, second: SecondValue } {
  const parts = splitUnescaped(raw, '$')
  if (parts.length !== 2) throw invalid(name, `"${raw}" must be two components joined by $`)
  const token = parseToken(name, parts[0] ?? '')
  const secondRaw = parts[1] ?? ''
  switch (param.components[1]?.type) {
    case 'quantity': return { token, second: { kind: 'quantity', value: parseQuantity(name, secondRaw) } }
    case 'date': return { token, second: { kind: 'date', value: parseDate(name, secondRaw) } }
    case 'string': return { token, second: { kind: 'string', value: unescape(secondRaw) } }
    default: return { token, second: { kind: 'token', value: parseToken(name, secondRaw) } }
  }
}

function parseCount (value: string, max: number): number {
  if (!/^\d{1,7}$/.test(value)) throw invalid('_count', 'must be a non-negative integer')
  return Math.min(Number(value), max)
}

function parseSort (types: readonly string[], value: string, registry: SearchRegistry): SortKey[] {
  return value.split(',').map(part => {
    const descending = part.startsWith('-')
    const code = descending ? part.slice(1) : part
    if (code === '_id' || code === '_lastUpdated') return { param: undefined, code, descending }
    const param = commonParam(types, code, registry, '_sort')
    if (param.type === 'composite') throw invalid('_sort', `cannot sort on composite parameter ${code}`)
    return { param, code, descending }
  })
}

function parseInclude (name: string, value: string, registry: SearchRegistry, types: readonly string[], reverse: boolean): IncludeSpec[] {
  const iterate = name.endsWith(':iterate') || name.endsWith(':recurse')
  if (name.includes(':') && !iterate) throw invalid(name, 'the only modifier is :iterate')
  if (value === '*') {
    // Wildcard: every reference parameter of every searched type (or, reversed, none is defined).
    if (reverse) throw invalid(name, '_revinclude=* is not supported; name the source type and parameter')
    return types.map(sourceType => ({ sourceType, codes: referenceCodes(registry, sourceType), targetType: undefined, iterate }))
  }
  const [sourceType = '', code = '', targetType] = value.split(':')
  const codes = code === '*' ? referenceCodes(registry, sourceType) : [code]
  for (const c of codes) {
    if (registry.get(sourceType, c)?.type !== 'reference') throw invalid(name, `${sourceType}:${c} is not a reference search parameter`)
  }
  if (targetType !== undefined && !/^[A-Z][A-Za-z]+$/.test(targetType)) throw invalid(name, `"${targetType}" is not a resource type`)
  return [{ sourceType, codes, targetType, iterate }]
}

function referenceCodes (registry: SearchRegistry, type: string): string[] {
  return [...registry.params(type).values()].filter(p => p.type === 'reference').map(p => p.code)
}

function oneOf<T extends string> (name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw invalid(name, `must be one of ${allowed.join(', ')}`)
  return value as T
}

function noModifier (name: string, modifier: string | undefined): void {
  if (modifier !== undefined) throw invalid(name, `modifier :${modifier} is not supported for this parameter type`)
}

function splitOnce (text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator)
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)]
}
