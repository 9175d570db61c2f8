/**
 * Random resources for the oracle test. References among them are written "Patient/@3" (the
 * fourth Patient created) and resolved to server-assigned ids as they are POSTed, in dependency
 * order, so chains and _has have real targets. Only valid R4 is generated: the server validates.
 */
import fc from 'fast-check'
import { rangeOf } from './medplum-oracle.js'
import {
  CATEGORIES, CATEGORY_SYSTEM, CITIES, CODE_SYSTEMS, CODES, DAYS, DISPLAYS, EXTERNAL_BASE, FAMILY_NAMES, FRACTIONS,
  GENDERS, GIVEN_NAMES, IDENTIFIER_SYSTEMS, IDENTIFIER_VALUES, MONTHS, NAME_PREFIXES, OBSERVATION_STATUSES,
  ORGANIZATION_NAMES, OWN_BASE, REQUEST_INTENTS, REQUEST_STATUSES, TAGS, TASK_INTENTS, TASK_STATUSES, TIMES, VALUE_STRINGS, YEARS, ZONES
} from './pools.js'

export type Json = Record<string, unknown>

/** How many of each type a dataset holds; references pick indices below these. */
export const COUNTS = { Organization: 2, Practitioner: 2, Patient: 10, Observation: 14, ServiceRequest: 8, Task: 8 } as const
export type DatasetType = keyof typeof COUNTS
/** Creation order: targets before the resources that point at them. */
export const CREATION_ORDER: readonly DatasetType[] = ['Organization', 'Practitioner', 'Patient', 'Observation', 'ServiceRequest', 'Task']

const pick = <T>(values: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...values)
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined, freq: 3 })

export const dateOnly: fc.Arbitrary<string> = fc.oneof(
  pick(YEARS),
  fc.tuple(pick(YEARS), pick(MONTHS)).map(([y, m]) => `${y}-${m}`),
  fc.tuple(pick(YEARS), pick(MONTHS), pick(DAYS)).map(([y, m, d]) => `${y}-${m}-${d}`)
)

/** Seconds precision or finer, always with a zone, as R4 dateTime and instant require. */
export const instant: fc.Arbitrary<string> = fc.tuple(pick(YEARS), pick(MONTHS), pick(DAYS), pick(TIMES), pick(FRACTIONS), pick(ZONES))
  .map(([y, m, d, time, fraction, zone]) => `${y}-${m}-${d}T${time}${fraction}${zone}`)

export const dateTime: fc.Arbitrary<string> = fc.oneof(dateOnly, instant)

/** Start before end (an R4 invariant), or one end open. */
export const period: fc.Arbitrary<Json> = fc.oneof(
  fc.tuple(dateTime, dateTime).map(([a, b]) => rangeOf(a).low <= rangeOf(b).low ? { start: a, end: b } : { start: b, end: a }),
  dateTime.map(start => ({ start })),
  dateTime.map(end => ({ end }))
)

const identifier: fc.Arbitrary<Json> = fc.oneof(
  fc.record({ system: pick(IDENTIFIER_SYSTEMS), value: pick(IDENTIFIER_VALUES) }),
  fc.record({ value: pick(IDENTIFIER_VALUES) }),
  fc.record({ system: pick(IDENTIFIER_SYSTEMS) })
)

const coding = (systems: readonly string[], codes: readonly string[]): fc.Arbitrary<Json> => fc.record(
  { system: pick(systems), code: pick(codes), display: pick(DISPLAYS) },
  { requiredKeys: ['code'] }
)

/** Always at least one coding: a CodeableConcept with only text has no token value (missing-empty-element). */
const concept = (systems: readonly string[], codes: readonly string[]): fc.Arbitrary<Json> =>
  fc.array(coding(systems, codes), { minLength: 1, maxLength: 2 }).map(codings => ({ coding: codings }))

const humanName: fc.Arbitrary<Json> = fc.record({
  prefix: fc.array(pick(NAME_PREFIXES), { maxLength: 1 }),
  given: fc.array(pick(GIVEN_NAMES), { maxLength: 2 }),
  family: maybe(pick(FAMILY_NAMES))
}).filter(name => name.family !== undefined || name.given.length > 0)

const meta: fc.Arbitrary<Json | undefined> = fc.uniqueArray(pick(TAGS), { maxLength: 2 }).map(tags => tags.length === 0 ? undefined : { tag: tags.map(t => ({ ...t })) })

const created = (types: readonly DatasetType[]): fc.Arbitrary<string> => fc.constantFrom(...types).chain(type => fc.nat(COUNTS[type] - 1).map(i => `${type}/@${i}`))

/** A created resource of the type (relative or absolute under our own base), a local id nobody holds, or an external absolute URL. */
const reference = (types: readonly DatasetType[], extra: readonly string[] = []): fc.Arbitrary<Json> => fc.oneof(
  { weight: 6, arbitrary: created(types) },
  { weight: 2, arbitrary: created(types).map(ref => `${OWN_BASE}/${ref}`) },
  { weight: 1, arbitrary: fc.constantFrom(...types.map(type => `${type}/missing-1`), ...extra) },
  { weight: 1, arbitrary: fc.constantFrom(...types.map(type => `${EXTERNAL_BASE}/${type}/ext-1`)) }
).map(ref => ({ reference: ref }))

const tags = { meta }

export const organization: fc.Arbitrary<Json> = fc.record({
  resourceType: fc.constant('Organization'), name: pick(ORGANIZATION_NAMES), identifier: fc.array(identifier, { maxLength: 1 }), ...tags
})

export const practitioner: fc.Arbitrary<Json> = fc.record({
  resourceType: fc.constant('Practitioner'), name: fc.array(humanName, { minLength: 1, maxLength: 1 }), ...tags
})

export const patient: fc.Arbitrary<Json> = fc.record({
  resourceType: fc.constant('Patient'),
  identifier: fc.array(identifier, { maxLength: 2 }),
  name: fc.array(humanName, { maxLength: 2 }),
  gender: maybe(pick(GENDERS)),
  birthDate: maybe(dateOnly),
  active: maybe(fc.boolean()),
  address: fc.array(pick(CITIES).map(city => ({ city })), { maxLength: 1 }),
  managingOrganization: maybe(reference(['Organization'])),
  generalPractitioner: fc.array(reference(['Practitioner', 'Organization']), { maxLength: 2 }),
  ...tags
})

export const observation: fc.Arbitrary<Json> = fc.record({
  resourceType: fc.constant('Observation'),
  status: pick(OBSERVATION_STATUSES),
  code: concept(CODE_SYSTEMS, CODES),
  category: fc.array(concept([CATEGORY_SYSTEM], CATEGORIES), { maxLength: 1 }),
  subject: maybe(reference(['Patient'], ['Group/grp-1'])),
  effective: maybe(fc.oneof(
    dateTime.map(v => ({ effectiveDateTime: v })),
    period.map(v => ({ effectivePeriod: v })),
    instant.map(v => ({ effectiveInstant: v }))
  )),
  value: maybe(fc.oneof(
    pick(VALUE_STRINGS).map(v => ({ valueString: v })),
    fc.integer({ min: 1, max: 200 }).map(v => ({ valueQuantity: { value: v, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' } }))
  )),
  identifier: fc.array(identifier, { maxLength: 1 }),
  ...tags
}).map(({ effective, value, ...rest }) => ({ ...rest, ...effective, ...value }))

export const serviceRequest: fc.Arbitrary<Json> = fc.record({
  resourceType: fc.constant('ServiceRequest'),
  status: pick(REQUEST_STATUSES),
  intent: pick(REQUEST_INTENTS),
  subject: reference(['Patient'], ['Group/grp-1']),
  code: maybe(concept(CODE_SYSTEMS, CODES)),
  authoredOn: maybe(dateTime),
  occurrence: maybe(fc.oneof(dateTime.map(v => ({ occurrenceDateTime: v })), period.map(v => ({ occurrencePeriod: v })))),
  requester: maybe(reference(['Practitioner', 'Organization', 'Patient'])),
  identifier: fc.array(identifier, { maxLength: 1 }),
  ...tags
}).map(({ occurrence, ...rest }) => ({ ...rest, ...occurrence }))

export const task: fc.Arbitrary<Json> = fc.record({
  resourceType: fc.constant('Task'),
  status: pick(TASK_STATUSES),
  intent: pick(TASK_INTENTS),
  for: maybe(reference(['Patient'])),
  owner: maybe(reference(['Practitioner', 'Organization', 'Patient'])),
  authoredOn: maybe(dateTime),
  executionPeriod: maybe(period),
  code: maybe(concept(CODE_SYSTEMS, CODES)),
  businessStatus: maybe(concept(CODE_SYSTEMS, CODES)),
  identifier: fc.array(identifier, { maxLength: 1 }),
  ...tags
})

export type Dataset = Record<DatasetType, Json[]>

export const dataset: fc.Arbitrary<Dataset> = fc.record({
  Organization: fc.array(organization, { minLength: COUNTS.Organization, maxLength: COUNTS.Organization }),
  Practitioner: fc.array(practitioner, { minLength: COUNTS.Practitioner, maxLength: COUNTS.Practitioner }),
  Patient: fc.array(patient, { minLength: COUNTS.Patient, maxLength: COUNTS.Patient }),
  Observation: fc.array(observation, { minLength: COUNTS.Observation, maxLength: COUNTS.Observation }),
  ServiceRequest: fc.array(serviceRequest, { minLength: COUNTS.ServiceRequest, maxLength: COUNTS.ServiceRequest }),
  Task: fc.array(task, { minLength: COUNTS.Task, maxLength: COUNTS.Task })
}).map(sets => Object.fromEntries(Object.entries(sets).map(([type, list]) => [type, list.map(compact)])) as Dataset)

/** Drops undefined and empty arrays: R4 JSON forbids empty arrays and the server validates. */
export function compact (value: Json): Json {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => [k, isPlainObject(v) ? compact(v) : Array.isArray(v) ? v.map(item => isPlainObject(item) ? compact(item) : item) : v]))
}

function isPlainObject (value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Replaces "Type/@n" with the id the server gave the n-th created resource of that type. */
export function resolveReferences (resource: Json, ids: ReadonlyMap<string, readonly string[]>): Json {
  return JSON.parse(JSON.stringify(resource).replace(/([A-Z][A-Za-z]+)\/@(\d+)(?=")/g, (_, type: string, index: string) => {
    const id = ids.get(type)?.[Number(index)]
    if (id === undefined) throw new Error(`no created ${type} number ${index}`)
    return `${type}/${id}`
  })) as Json
}
