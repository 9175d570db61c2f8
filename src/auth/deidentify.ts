/**
 * How a dashboard without identifiable access sees the record (docs/access.md): searches by
 * direct identifiers or free text are refused, and every patient-level resource it receives has
 * its direct identifiers and free text withheld, marked with the REDACTED security label.
 * Definitions and the service directory are not about patients and pass unchanged.
 */
import type { Resource } from '@medplum/fhirtypes'
import type { Condition, SearchQuery } from '../fhir/search/query.js'
import { GatewayError } from '../errors.js'
import { NHS_NUMBER_SYSTEM } from '../terminology/systems.js'
import { CONFORMANCE_TYPES, DIRECTORY_TYPES } from './access-policy.js'

/** Types that describe a person: their identifying elements go, not just free text. */
const PERSON_TYPES: ReadonlySet<string> = new Set(['Patient', 'RelatedPerson'])

/** Elements of a person that identify them directly. */
const PERSON_IDENTIFIERS = ['identifier', 'name', 'telecom', 'address', 'photo', 'contact', 'link']

/** Search parameters of a person that test a direct identifier (string ones are refused anyway). */
const IDENTIFYING_PERSON_PARAMS: ReadonlySet<string> = new Set(['identifier', 'telecom', 'phone', 'email', 'birthdate', 'death-date'])

/** Elements of any patient-level resource that carry free text. */
const FREE_TEXT = new Set(['text', 'note', 'valueString', 'comment', 'description'])

export const REDACTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'REDACTED', display: 'redacted' }

function aboutPatients (type: string): boolean {
  return !CONFORMANCE_TYPES.has(type) && !DIRECTORY_TYPES.has(type)
}

/** A copy of the resource with direct identifiers and free text withheld. */
export function deidentify (resource: Resource): Resource {
  if (!aboutPatients(resource.resourceType)) return resource
  const copy = strip(resource) as Record<string, unknown>
  if (PERSON_TYPES.has(resource.resourceType)) {
    for (const name of PERSON_IDENTIFIERS) Reflect.deleteProperty(copy, name)
    // The year of birth is kept for age bands; the day and month are direct identifiers.
    if (typeof copy.birthDate === 'string') copy.birthDate = copy.birthDate.slice(0, 4)
    if (typeof copy.deceasedDateTime === 'string') copy.deceasedDateTime = copy.deceasedDateTime.slice(0, 4)
  }
  const meta = (copy.meta ?? {}) as NonNullable<Resource['meta']>
  copy.meta = { ...meta, security: [...(meta.security ?? []), REDACTED] }
  return copy as unknown as Resource
}

function strip (value: unknown): unknown {
  if (Array.isArray(value)) return value.filter(item => !isNhsNumber(item)).map(strip)
  if (value === null || typeof value !== 'object') return value
  const object = value as Record<string, unknown>
  // A Reference's display is usually the person's name.
  const isReference = typeof object.reference === 'string' || (typeof object.identifier === 'object' && object.identifier !== null)
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(object)) {
    if (FREE_TEXT.has(key) || (isReference && key === 'display') || isNhsNumber(child)) continue
    out[key] = strip(child)
  }
  return out
}

function isNhsNumber (value: unknown): boolean {
  return value !== null && typeof value === 'object' && (value as { system?: unknown }).system === NHS_NUMBER_SYSTEM
}

/**
 * Refuses (403, naming the parameter) a search that tests a direct identifier or free text of
 * patient-level data, at any depth (chains, _has) or as a sort key: its answer would reveal them
 * even though the resources come back de-identified.
 */
export function refuseIdentifyingSearch (query: SearchQuery): void {
  for (const condition of query.conditions) check(condition, query.types)
  for (const key of query.sort) {
    if (key.param !== undefined && query.types.some(type => identifying(type, key.param?.code ?? '', key.param?.type ?? ''))) {
      throw refused(`_sort=${key.code}`)
    }
  }
}

function check (condition: Condition, types: readonly string[]): void {
  switch (condition.kind) {
    case 'id': case 'last-updated': case 'missing': return
    case 'chain':
      if (types.some(type => identifying(type, condition.param.code, 'reference'))) throw refused(condition.param.code)
      check(condition.inner, condition.targetTypes)
      return
    case 'has': check(condition.inner, [condition.sourceType]); return
    case 'token-text': if (types.some(aboutPatients)) throw refused(`${condition.param.code}:text`); return
    case 'token':
      if (condition.modifier === 'identifier' && types.some(aboutPatients)) throw refused(`${condition.param.code}:identifier`)
      if (types.some(type => identifying(type, condition.param.code, 'token'))) throw refused(condition.param.code)
      return
    case 'date':
      // Age bands need the year of birth, which de-identified resources keep; a finer date is identifying.
      if (condition.values.every(value => value.highMs - value.lowMs >= YEAR_MS)) return
      if (types.some(type => identifying(type, condition.param.code, 'date'))) throw refused(condition.param.code)
      return
    default:
      if (types.some(type => identifying(type, condition.param.code, condition.param.type))) throw refused(condition.param.code)
  }
}

/** A date searched at year precision covers at least this long (365 days less a millisecond). */
const YEAR_MS = 364 * 86_400_000

function identifying (type: string, code: string, paramType: string): boolean {
  if (!aboutPatients(type)) return false
  // Names, addresses and free-text values are all string parameters; dates of birth at finer
  // than year precision are tested by the caller (check).
  if (paramType === 'string') return true
  return PERSON_TYPES.has(type) && IDENTIFYING_PERSON_PARAMS.has(code)
}

function refused (name: string): GatewayError {
  return new GatewayError('forbidden', `Search parameter "${name}" tests direct identifiers or free text, which this client may not use`, { expression: name })
}
