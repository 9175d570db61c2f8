/**
 * Random queries over the parameters of the generated resources: token, string, date with
 * prefixes, reference, :missing, :not, :contains, OR lists, repeated (ANDed) parameters, chains
 * and _has. What is left out, and why, is in exceptions.ts.
 */
import fc from 'fast-check'
import type { Resource } from '@medplum/fhirtypes'
import { chainClause, dateClause, hasClause, medplumClause, type Clause, type DateValue, type Query, type World } from './clauses.js'
import type { DatePrefix } from './exceptions.js'
import {
  CATEGORIES, CATEGORY_SYSTEM, CODE_SYSTEMS, CODES, EXTERNAL_BASE, GENDERS, IDENTIFIER_SYSTEMS, IDENTIFIER_VALUES,
  OBSERVATION_STATUSES, REQUEST_INTENTS, REQUEST_STATUSES, TAGS, TASK_INTENTS, TASK_STATUSES
} from './pools.js'
import { dateOnly, instant } from './resources.js'
import { CONTAINS_QUERIES, STARTS_WITH_QUERIES } from './string-candidates.js'

type ClauseArb = fc.Arbitrary<Clause>

const pick = <T>(values: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...values)
const orList = <T>(arb: fc.Arbitrary<T>, max = 3): fc.Arbitrary<T[]> => fc.array(arb, { minLength: 1, maxLength: max })
/** Search escaping: https://hl7.org/fhir/R4/search.html#escaping (only "," occurs in the pools). */
const escape = (value: string): string => value.replace(/[\\,]/g, c => `\\${c}`)

interface TokenPool {
  readonly systems: readonly string[]
  readonly codes: readonly string[]
  /** Plain code elements carry the system their binding implies (exception token-implied-system). */
  readonly implied?: boolean
}

/** code, |code, system|code and system| (code elements get plain codes only); optionally :not. */
function token (type: string, code: string, pool: TokenPool): ClauseArb {
  const codes = [...pool.codes, 'no-such-code']
  const forms: Array<fc.Arbitrary<string>> = [pick(codes).map(escape)]
  if (pool.implied !== true) forms.push(pick(codes).map(c => `|${escape(c)}`))
  if (pool.systems.length > 0) {
    forms.push(fc.tuple(pick(pool.systems), pick(codes)).map(([s, c]) => `${s}|${escape(c)}`), pick([...pool.systems, 'http://no-such.example']).map(s => `${s}|`))
  }
  return fc.tuple(fc.boolean(), orList(fc.oneof(...forms))).map(([not, values]) =>
    medplumClause(type, not ? `${code}:not` : code, values.join(',')))
}

function ids (type: string, world: World): string[] {
  return [...(world.byType.get(type) ?? []).map(r => String(r.id)), 'no-such-id']
}

function idClause (type: string, world: World): ClauseArb {
  return fc.tuple(fc.boolean(), orList(pick(ids(type, world)), 2)).map(([not, values]) => medplumClause(type, not ? '_id:not' : '_id', values.join(',')))
}

function string (type: string, code: string): ClauseArb {
  return fc.oneof(
    orList(pick(STARTS_WITH_QUERIES), 2).map(values => medplumClause(type, code, values.join(','))),
    orList(pick(CONTAINS_QUERIES), 2).map(values => medplumClause(type, `${code}:contains`, values.join(',')))
  )
}

/** Every prefix but ap (exception date-ap). */
const PREFIXES: ReadonlyArray<DatePrefix | undefined> = [undefined, 'eq', 'ne', 'lt', 'gt', 'le', 'ge', 'sa', 'eb']

function date (type: string, code: string, values: fc.Arbitrary<string> = fc.oneof(dateOnly, instant)): ClauseArb {
  return orList(fc.record({ prefix: pick(PREFIXES), text: values }), 2).map((list: DateValue[]) => dateClause(type, code, list))
}

/** _lastUpdated around the instants the server stamped, so the split falls between resources. */
function lastUpdated (type: string, world: World): ClauseArb {
  const stamps = (world.byType.get(type) ?? []).map(r => String(r.meta?.lastUpdated))
  return date(type, '_lastUpdated', fc.oneof(pick(stamps), pick(stamps).map(s => s.slice(0, 10))))
}

interface ReferenceParam {
  readonly code: string
  /** Target types we create or point at; a bare id is only generated when the parameter has one. */
  readonly targets: readonly string[]
  readonly single: boolean
  readonly extra?: readonly string[]
}

function reference (type: string, param: ReferenceParam, world: World): ClauseArb {
  const typed = pick(param.targets).chain(target => pick([...ids(target, world), 'missing-1']).map(id => ({ target, id })))
  const literal = fc.oneof(
    { weight: 4, arbitrary: typed.map(({ target, id }) => `${target}/${id}`) },
    { weight: 1, arbitrary: pick([...param.targets.map(t => `${EXTERNAL_BASE}/${t}/ext-1`), ...(param.extra ?? [])]) }
  )
  const forms: ClauseArb[] = [orList(literal, 2).map(values => medplumClause(type, param.code, values.join(',')))]
  if (param.single) {
    forms.push(orList(typed, 2).map(values => medplumClause(type, param.code, values.map(v => v.id).join(','))))
  }
  // subject:Patient=123 means subject=Patient/123 (exception reference-type-modifier).
  forms.push(pick(param.targets).chain(target => orList(pick([...ids(target, world), 'missing-1']), 2).map(values =>
    medplumClause(type, `${param.code}:${target}`, values.join(','), [[param.code, values.map(id => `${target}/${id}`).join(',')]]))))
  return fc.oneof(...forms)
}

function missing (type: string, codes: readonly string[]): ClauseArb {
  return fc.tuple(pick(codes), fc.boolean()).map(([code, value]) => medplumClause(type, `${code}:missing`, String(value)))
}

const TAG_POOL: TokenPool = { systems: [...new Set(TAGS.flatMap(t => 'system' in t ? [t.system] : []))], codes: [...new Set(TAGS.map(t => t.code))] }
const IDENTIFIERS: TokenPool = { systems: IDENTIFIER_SYSTEMS, codes: IDENTIFIER_VALUES }
const CODINGS: TokenPool = { systems: CODE_SYSTEMS, codes: CODES }
const codesOnly = (codes: readonly string[]): TokenPool => ({ systems: [], codes, implied: true })

/** Clauses on one type, without chains: also the inner part of chains and _has. */
export function simpleClause (type: string, world: World): ClauseArb {
  switch (type) {
    case 'Patient': return fc.oneof(
      token(type, 'identifier', IDENTIFIERS), token(type, 'gender', codesOnly(GENDERS)), token(type, 'active', { systems: [], codes: ['true', 'false'] }),
      token(type, '_tag', TAG_POOL), idClause(type, world),
      string(type, 'name'), string(type, 'family'), string(type, 'given'), string(type, 'address-city'),
      date(type, 'birthdate', dateOnly), lastUpdated(type, world),
      reference(type, { code: 'organization', targets: ['Organization'], single: true }, world),
      reference(type, { code: 'general-practitioner', targets: ['Practitioner', 'Organization'], single: false }, world),
      missing(type, ['identifier', 'name', 'gender', 'birthdate', 'active', 'address-city', 'organization', 'general-practitioner', '_tag'])
    )
    case 'Observation': return fc.oneof(
      token(type, 'code', CODINGS), token(type, 'category', { systems: [CATEGORY_SYSTEM], codes: CATEGORIES }),
      token(type, 'status', codesOnly(OBSERVATION_STATUSES)), token(type, 'identifier', IDENTIFIERS), token(type, '_tag', TAG_POOL), idClause(type, world),
      string(type, 'value-string'), date(type, 'date'), lastUpdated(type, world),
      reference(type, { code: 'subject', targets: ['Patient'], single: false, extra: ['Group/grp-1'] }, world),
      reference(type, { code: 'patient', targets: ['Patient'], single: true }, world),
      missing(type, ['code', 'category', 'subject', 'patient', 'date', 'value-string', 'identifier', '_tag'])
    )
    case 'ServiceRequest': return fc.oneof(
      token(type, 'status', codesOnly(REQUEST_STATUSES)), token(type, 'intent', codesOnly(REQUEST_INTENTS)), token(type, 'code', CODINGS),
      token(type, 'identifier', IDENTIFIERS), token(type, '_tag', TAG_POOL),
      date(type, 'authored'), date(type, 'occurrence'),
      reference(type, { code: 'subject', targets: ['Patient'], single: false, extra: ['Group/grp-1'] }, world),
      reference(type, { code: 'patient', targets: ['Patient'], single: true }, world),
      reference(type, { code: 'requester', targets: ['Practitioner', 'Organization', 'Patient'], single: false }, world),
      missing(type, ['code', 'authored', 'occurrence', 'patient', 'requester', 'identifier'])
    )
    case 'Task': return fc.oneof(
      token(type, 'status', codesOnly(TASK_STATUSES)), token(type, 'intent', codesOnly(TASK_INTENTS)), token(type, 'code', CODINGS),
      token(type, 'business-status', CODINGS), token(type, 'identifier', IDENTIFIERS), token(type, '_tag', TAG_POOL),
      date(type, 'authored-on'), date(type, 'period'),
      reference(type, { code: 'owner', targets: ['Practitioner', 'Organization', 'Patient'], single: false }, world),
      reference(type, { code: 'patient', targets: ['Patient'], single: true }, world),
      reference(type, { code: 'subject', targets: ['Patient'], single: false }, world),
      missing(type, ['owner', 'patient', 'authored-on', 'period', 'code', 'business-status'])
    )
    case 'Organization': return fc.oneof(string(type, 'name'), token(type, 'identifier', IDENTIFIERS), token(type, '_tag', TAG_POOL))
    case 'Practitioner': return fc.oneof(string(type, 'name'), string(type, 'family'), string(type, 'given'))
    default: throw new Error(`no clauses for ${type}`)
  }
}

/** Chains (ref[:Type].param) and _has from a type, with their inner clauses. */
function linkedClause (type: string, world: World): ClauseArb | undefined {
  const chain = (code: string, target: string, typeModifier: boolean): ClauseArb =>
    simpleClause(target, world).map(inner => chainClause(type, code, target, typeModifier, inner))
  const has = (source: string, code: string): ClauseArb => simpleClause(source, world).map(inner => hasClause(type, source, code, inner))
  switch (type) {
    case 'Patient': return fc.oneof(
      chain('general-practitioner', 'Practitioner', true), chain('organization', 'Organization', false),
      has('Observation', 'patient'), has('Task', 'patient'), has('ServiceRequest', 'subject')
    )
    case 'Observation': return fc.oneof(chain('subject', 'Patient', true), chain('patient', 'Patient', false))
    case 'ServiceRequest': return fc.oneof(chain('patient', 'Patient', false), chain('requester', 'Practitioner', true), chain('requester', 'Organization', true))
    case 'Task': return fc.oneof(chain('patient', 'Patient', false), chain('owner', 'Organization', true), chain('owner', 'Practitioner', true))
    default: return undefined
  }
}

export const QUERY_TYPES = ['Patient', 'Observation', 'ServiceRequest', 'Task'] as const

export function queryArbitrary (world: World): fc.Arbitrary<Query> {
  return pick(QUERY_TYPES).chain(type => {
    const linked = linkedClause(type, world)
    const clause = linked === undefined ? simpleClause(type, world) : fc.oneof({ weight: 4, arbitrary: simpleClause(type, world) }, { weight: 1, arbitrary: linked })
    return fc.array(clause, { minLength: 1, maxLength: 2 }).map(clauses => ({ type, clauses }))
  })
}

export function worldOf (resources: readonly Resource[]): World {
  const byType = new Map<string, Resource[]>()
  for (const r of resources) byType.set(r.resourceType, [...(byType.get(r.resourceType) ?? []), r])
  return { byType }
}
