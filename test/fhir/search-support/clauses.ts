/**
 * A generated query is a list of clauses, ANDed. Each clause knows how the server is asked
 * (name=value) and what the oracle expects for one resource. An expectation may be "skip" when a
 * documented exception makes medplum and R4 disagree on that resource, so verdicts combine in
 * three-valued logic: a definite false still decides an AND, a definite true still decides an OR.
 */
import type { Resource } from '@medplum/fhirtypes'
import type { SearchRequest } from '@medplum/core'
import { medplumDateModel, specDateMatch, type DatePrefix, type ExceptionId } from './exceptions.js'
import { dateTargets, medplumMatches, medplumRequest, rangeOf, resolvesAbsolute, type Params } from './medplum-oracle.js'

/** Skipped when a documented exception makes medplum and R4 disagree on this resource. */
export type Verdict = boolean | { readonly skip: ExceptionId }

export interface World {
  readonly byType: ReadonlyMap<string, readonly Resource[]>
}

export interface Clause {
  readonly name: string
  readonly value: string
  /** How the oracle was asked, for counterexample reports. */
  readonly oracle: string
  readonly expect: (resource: Resource, world: World) => Verdict
}

export interface Query {
  readonly type: string
  readonly clauses: readonly Clause[]
}

export function and (verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes(false)) return false
  return verdicts.find(v => typeof v === 'object') ?? true
}

export function or (verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes(true)) return true
  return verdicts.find(v => typeof v === 'object') ?? false
}

/**
 * medplum's answer, unless the parameter is read through resolve() (patient) and the resource
 * holds an absolute reference there, which medplum cannot type (exception resolve-absolute).
 */
function judge (resource: Resource, code: string, request: SearchRequest): Verdict {
  if (resolvesAbsolute(resource, code)) return { skip: 'resolve-absolute' }
  return medplumMatches(resource, request)
}

/** A clause medplum understands as the server is asked it, or as `oracleParams` say the same. */
export function medplumClause (type: string, name: string, value: string, oracleParams: Params = [[name, value]]): Clause {
  let request: SearchRequest | undefined
  const code = (oracleParams[0]?.[0] ?? name).split(':')[0] ?? name
  return {
    name,
    value,
    oracle: describe(type, oracleParams),
    expect: (resource) => judge(resource, code, request ??= medplumRequest(type, oracleParams))
  }
}

export interface DateValue { readonly prefix: DatePrefix | undefined, readonly text: string }

/** date=[prefix]value,… : medplum is asked once per value (exception date-comma-prefixes). */
export function dateClause (type: string, code: string, values: readonly DateValue[]): Clause {
  const requests = values.map(v => ({ ...v, request: medplumRequest(type, [[code, `${v.prefix ?? ''}${v.text}`]]), range: rangeOf(v.text) }))
  return {
    name: code,
    value: values.map(v => `${v.prefix ?? ''}${v.text}`).join(','),
    oracle: values.map(v => describe(type, [[code, `${v.prefix ?? ''}${v.text}`]])).join(' OR '),
    expect: (resource) => or(requests.map(({ prefix = 'eq', request, range }) => {
      const targets = dateTargets(resource, code)
      const actual = medplumMatches(resource, request)
      const modelled = prefix === 'ne' ? !targets.some(t => medplumDateModel('ne', t, range)) : targets.some(t => medplumDateModel(prefix, t, range))
      if (actual !== modelled) throw new Error(`medplum's date rule changed: ${code}=${prefix}${JSON.stringify(range)} on ${JSON.stringify(targets)} gave ${String(actual)}`)
      if (prefix === 'ne' && targets.length === 0) return { skip: 'date-ne-without-value' }
      const spec = targets.some(t => specDateMatch(prefix, t, range))
      if (spec !== actual) return { skip: 'date-prefix-semantics' }
      return actual
    }))
  }
}

/** ref[:Type].inner : some created target the reference points at matches the inner clause. */
export function chainClause (type: string, refCode: string, targetType: string, typeModifier: boolean, inner: Clause): Clause {
  const byTarget = new Map<string, SearchRequest>()
  return {
    name: `${refCode}${typeModifier ? `:${targetType}` : ''}.${inner.name}`,
    value: inner.value,
    oracle: `some ${targetType} T with ${describe(type, [[refCode, `${targetType}/T`]])} and T matches (${inner.oracle})`,
    expect: (resource, world) => or((world.byType.get(targetType) ?? []).map(target => {
      const key = `${targetType}/${String(target.id)}`
      let request = byTarget.get(key)
      if (request === undefined) byTarget.set(key, request = medplumRequest(type, [[refCode, key]]))
      return and([judge(resource, refCode, request), inner.expect(target, world)])
    }))
  }
}

/** _has:Source:ref:inner : some created Source whose ref points here matches the inner clause. */
export function hasClause (type: string, sourceType: string, refCode: string, inner: Clause): Clause {
  return {
    name: `_has:${sourceType}:${refCode}:${inner.name}`,
    value: inner.value,
    oracle: `some ${sourceType} S with ${describe(sourceType, [[refCode, `${type}/<this id>`]])} and S matches (${inner.oracle})`,
    expect: (resource, world) => {
      const request = medplumRequest(sourceType, [[refCode, `${type}/${String(resource.id)}`]])
      return or((world.byType.get(sourceType) ?? []).map(source => and([judge(source, refCode, request), inner.expect(source, world)])))
    }
  }
}

export function expectQuery (query: Query, resource: Resource, world: World): Verdict {
  return and(query.clauses.map(c => c.expect(resource, world)))
}

function describe (type: string, params: Params): string {
  return `${type}?${params.map(([n, v]) => `${n}=${v}`).join('&')}`
}
