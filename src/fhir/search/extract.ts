/**
 * Indexing: evaluates every search parameter of a resource's type and turns the values into
 * index rows. Token modifiers get rows of their own: `code:text` holds folded display text,
 * `code:of-type` identifier type|value, and reference `code:identifier` the Reference.identifier.
 */
import { toTypedValue, type TypedValue } from '@medplum/core'
import type { Resource } from '@medplum/fhirtypes'
import { dateRange } from './date-range.js'
import { sqlInstant } from './sql-instant.js'
import { emptyIndexRows, type CompositeRow, type DateRow, type IndexRows, type QuantityRow, type StringRow, type TokenRow } from '../../store/index-rows.js'
import { foldString } from './normalize.js'
import type { ExpressionPart, SearchParamDef, SearchRegistry } from './registry.js'

const RELATIVE_REFERENCE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/.*)?$/

export interface ExtractOptions {
  readonly fhirBaseUrl: string
  /** Code system implied by a plain code element's binding, by element path. */
  readonly impliedSystems: ReadonlyMap<string, string>
}

export function extractIndexRows (registry: SearchRegistry, resource: Resource, options: ExtractOptions): IndexRows {
  const rows = emptyIndexRows()
  let input: TypedValue[] | undefined
  const interpret = (part: ExpressionPart): TypedValue[] => {
    input ??= [toTypedValue(resource)]
    return part.atom.eval({ variables: { '%resource': input[0] as TypedValue } }, input)
  }
  for (const def of registry.params(resource.resourceType).values()) {
    for (const part of def.indexed) {
      const found = part.compiled?.(resource) ?? interpret(part)
      const values = part.resolvesTo === undefined ? found : found.filter(value => referencedType(value) === part.resolvesTo)
      if (values.length > 0) addValues(rows, def, values, options)
    }
  }
  return rows
}

/** The type a Reference names in its text: Patient/1, or …/Patient/1 as an absolute URL. */
function referencedType (typed: TypedValue): string | undefined {
  const reference = (typed.value as { reference?: unknown } | undefined)?.reference
  if (typeof reference !== 'string') return undefined
  return /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[^/]+)?$/.exec(reference)?.[1]
}

function addValues (rows: IndexRows, def: SearchParamDef, values: TypedValue[], options: ExtractOptions): void {
  const { code } = def
  switch (def.type) {
    case 'token':
      for (const value of values) rows.token.push(...tokenRows(code, value, options.impliedSystems))
      break
    case 'string':
      for (const value of values) rows.string.push(...stringRows(code, value))
      break
    case 'reference':
      for (const value of values) addReference(rows, code, value, options.fhirBaseUrl)
      break
    case 'date':
      for (const value of values) rows.date.push(...dateRows(code, value))
      break
    case 'number':
      for (const value of values) rows.number.push(...quantityRows(code, value))
      break
    case 'quantity':
      for (const value of values) rows.quantity.push(...quantityRows(code, value))
      break
    case 'uri':
      for (const value of values) if (typeof value.value === 'string') rows.uri.push({ code, value: value.value })
      break
    case 'composite':
      for (const value of values) rows.composite.push(...compositeRows(def, value))
      break
  }
}

function tokenRows (code: string, typed: TypedValue, impliedSystems?: ReadonlyMap<string, string>): TokenRow[] {
  const value = typed.value as Record<string, any>
  const rows: TokenRow[] = []
  const text = (t: unknown): void => { if (typeof t === 'string' && t !== '') rows.push({ code: `${code}:text`, system: null, value: foldString(t) }) }
  switch (typed.type) {
    case 'Coding':
      rows.push({ code, system: value.system ?? null, value: value.code ?? null })
      text(value.display)
      break
    case 'CodeableConcept':
      for (const coding of value.coding ?? []) {
        rows.push({ code, system: coding.system ?? null, value: coding.code ?? null })
        text(coding.display)
      }
      text(value.text)
      break
    case 'Identifier':
      rows.push({ code, system: value.system ?? null, value: value.value ?? null })
      text(value.type?.text)
      for (const coding of value.type?.coding ?? []) {
        if (value.value !== undefined) rows.push({ code: `${code}:of-type`, system: coding.system ?? null, value: `${String(coding.code)}|${String(value.value)}` })
        text(coding.display)
      }
      break
    case 'ContactPoint':
      rows.push({ code, system: null, value: value.value ?? null })
      break
    case 'boolean':
      rows.push({ code, system: null, value: String(value) })
      break
    case 'code': {
      const path = (typed as TypedValue & { path?: string }).path?.replace(/\[\d+\]/g, '')
      const system = path === undefined ? undefined : impliedSystems?.get(path)
      rows.push({ code, system: system ?? null, value: String(typed.value) })
      break
    }
    default:
      if (typeof typed.value === 'string' || typeof typed.value === 'number') rows.push({ code, system: null, value: String(typed.value) })
  }
  return rows.filter(row => row.system !== null || row.value !== null)
}

function stringRows (code: string, typed: TypedValue): StringRow[] {
  const value = typed.value as Record<string, any>
  const parts: unknown[] = typed.type === 'HumanName'
    ? [value.text, value.family, ...(value.given ?? []), ...(value.prefix ?? []), ...(value.suffix ?? [])]
    : typed.type === 'Address'
      ? [value.text, ...(value.line ?? []), value.city, value.district, value.state, value.postalCode, value.country]
      : [typed.value]
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').map(exact => ({ code, folded: foldString(exact), exact }))
}

function addReference (rows: IndexRows, code: string, typed: TypedValue, fhirBaseUrl: string): void {
  const value = typed.value as Record<string, any> | string
  const reference = typeof value === 'string' ? value : value.reference
  if (typeof value === 'object' && value.identifier?.value !== undefined) {
    rows.token.push({ code: `${code}:identifier`, system: value.identifier.system ?? null, value: value.identifier.value })
  }
  if (typeof reference !== 'string') return
  const local = reference.startsWith(`${fhirBaseUrl}/`) ? reference.slice(fhirBaseUrl.length + 1) : reference
  const relative = RELATIVE_REFERENCE.exec(local)
  rows.reference.push(relative === null
    ? { code, targetType: null, targetId: null, url: reference.split('|')[0] ?? reference }
    : { code, targetType: relative[1] as string, targetId: relative[2] as string, url: null })
}

function dateRows (code: string, typed: TypedValue): DateRow[] {
  const value = typed.value as any
  switch (typed.type) {
    case 'date': case 'dateTime': case 'instant': {
      const range = typeof value === 'string' ? dateRange(value) : undefined
      return range === undefined ? [] : [{ code, low: sqlInstant(range.low), high: sqlInstant(range.high) }]
    }
    case 'Period': {
      const start = typeof value.start === 'string' ? dateRange(value.start)?.low : undefined
      const end = typeof value.end === 'string' ? dateRange(value.end)?.high : undefined
      const low = start === undefined ? null : sqlInstant(start)
      const high = end === undefined ? null : sqlInstant(end)
      return low === null && high === null ? [] : [{ code, low, high }]
    }
    case 'Timing':
      return (value.event ?? []).flatMap((event: unknown) => dateRows(code, { type: 'dateTime', value: event }))
    default:
      return []
  }
}

function quantityRows (code: string, typed: TypedValue): QuantityRow[] {
  const value = typed.value as any
  if (typeof value === 'number') return [{ code, system: null, unit: null, low: value, high: value }]
  if (typed.type === 'Range') {
    const low = typeof value.low?.value === 'number' ? value.low.value : null
    const high = typeof value.high?.value === 'number' ? value.high.value : null
    return low === null && high === null ? [] : [{ code, system: value.low?.system ?? value.high?.system ?? null, unit: value.low?.code ?? value.high?.code ?? null, low, high }]
  }
  if (typeof value?.value !== 'number') return []
  const rows: QuantityRow[] = [{ code, system: value.system ?? null, unit: value.code ?? value.unit ?? null, low: value.value, high: value.value }]
  // Searches may name the unit by its human text as well as by code.
  if (value.unit !== undefined && value.code !== undefined && value.unit !== value.code) rows.push({ code, system: null, unit: value.unit, low: value.value, high: value.value })
  return rows
}

function compositeRows (def: SearchParamDef, typed: TypedValue): CompositeRow[] {
  const [first, second] = def.components
  if (first === undefined || second === undefined) return []
  const context = { variables: {} }
  const tokens = (first.compiled(typed) ?? first.expression.eval(context, [typed])).flatMap(v => tokenRows(def.code, v)).filter(t => t.code === def.code)
  const seconds = second.compiled(typed) ?? second.expression.eval(context, [typed])
  const rows: CompositeRow[] = []
  for (const token of tokens) {
    for (const value of seconds) {
      for (const part of secondParts(def.code, second.type, value)) rows.push({ code: def.code, system: token.system, value: token.value, second: part })
    }
  }
  return rows
}

function secondParts (code: string, type: string, value: TypedValue): CompositeRow['second'][] {
  switch (type) {
    case 'quantity': return quantityRows(code, value).map(quantity => ({ quantity }))
    case 'token': return tokenRows(code, value).filter(t => t.code === code).map(token => ({ token }))
    case 'date': return dateRows(code, value).map(date => ({ date }))
    case 'string': return stringRows(code, value).map(string => ({ string }))
    default: return []
  }
}
