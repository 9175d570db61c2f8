/**
 * Searching never answers 500, whatever the input: random and nearly-right parameter names and
 * values against GET type search, POST _search and system search. A 4xx must be an
 * OperationOutcome naming a parameter that was sent, so a client can tell what to fix.
 */
import { test } from 'tap'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, FHIR, FHIR_JSON } from '../helper.js'
import { fuzzRequest, type FuzzRequest, type IssuedCursor } from './search-support/fuzz-arbitraries.js'
import { problemWith, vocabularyOf } from './search-support/fuzz-check.js'

/** Fixed, so a failure replays; FUZZ_SEED and FUZZ_RUNS explore further. */
const SEED = Number(process.env.FUZZ_SEED ?? 40_411)
const RUNS = Number(process.env.FUZZ_RUNS ?? 600)

/** Long OR lists make unreadable reports. */
function clip (text: string): string {
  return text.length > 400 ? `${text.slice(0, 400)}… (${text.length} characters)` : text
}

async function send (app: FastifyInstance, request: FuzzRequest): Promise<{ status: number, body: string }> {
  const res = request.method === 'GET'
    ? await app.inject({ method: 'GET', url: `${request.path}?${request.raw}` })
    : await app.inject({ method: 'POST', url: request.path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: request.raw })
  return { status: res.statusCode, body: res.body }
}

/** Some data to search, and real cursors to tamper with. */
async function seed (app: FastifyInstance): Promise<IssuedCursor[]> {
  const resources = [
    { resourceType: 'Patient', name: [{ family: 'Zoë', given: ['Ann'] }], birthDate: '1980-02', gender: 'female', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' }] },
    { resourceType: 'Patient', name: [{ family: 'Smith' }], birthDate: '2001-12-31' },
    { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] }, valueQuantity: { value: 70, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' }, effectiveDateTime: '2024-03-05T10:00:00+01:00' },
    { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] }, valueString: 'fast' },
    { resourceType: 'Task', status: 'requested', intent: 'order', authoredOn: '2024-01-01', executionPeriod: { start: '2024-01-01' } },
    { resourceType: 'Task', status: 'completed', intent: 'order' }
  ]
  for (const resource of resources) {
    const res = await app.inject({ method: 'POST', url: `${FHIR}/${resource.resourceType}`, headers: FHIR_JSON, payload: resource })
    if (res.statusCode !== 201) throw new Error(`seeding failed: ${res.body}`)
  }
  const cursors: IssuedCursor[] = []
  for (const [path, query] of [['Patient', '_count=1'], ['Patient', '_count=1&_sort=birthdate'], ['Observation', '_count=1&_sort=-date,_id'], ['Task', '_count=1&_sort=status']] as const) {
    const next = (await app.inject({ method: 'GET', url: `${FHIR}/${path}?${query}` })).json().link?.find((l: { relation: string }) => l.relation === 'next')?.url as string | undefined
    const cursor = next === undefined ? null : new URL(next).searchParams.get('_cursor')
    if (cursor !== null) cursors.push({ path: `${FHIR}/${path}`, query, cursor })
  }
  return cursors
}

test('search answers every hostile query without a 5xx, and names what it rejects', async (t) => {
  const { app } = await buildTestApp(t)
  const cursors = await seed(app)
  t.ok(cursors.length >= 3, 'real cursors to tamper with')
  const vocabulary = vocabularyOf((await app.inject({ method: 'GET', url: `${FHIR}/metadata` })).json())

  const statuses = new Map<number, number>()
  const property = fc.asyncProperty(fuzzRequest(vocabulary, cursors), async (request) => {
    const answer = await send(app, request)
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
    const problem = problemWith(request, answer)
    if (problem === undefined) return
    throw new Error(`${request.method} ${request.path}  ${clip(request.raw)}\n  as the server reads it: ${clip(JSON.stringify([...new URLSearchParams(request.raw)]))}\n  ${problem}`)
  })
  const result = await fc.check(property, { seed: SEED, numRuns: RUNS })
  if (result.failed) {
    t.fail('a hostile search was mishandled: the shrunk counterexample follows')
    t.comment(`${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}\n(fast-check seed ${SEED}, path "${String(result.counterexamplePath)}")`)
  }
  t.comment(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`)
  t.ok((statuses.get(200) ?? 0) > RUNS * 0.05, 'some hostile queries are still valid searches')
  t.ok((statuses.get(400) ?? 0) > RUNS * 0.3, 'most are rejected as bad requests')
})

// Regressions: NUL, huge OR lists and forged cursors were 500s, a bad _type a 404 naming "type".
test('hostile requests the fuzzer found are 400s naming the parameter', async (t) => {
  const { app } = await buildTestApp(t)
  const cursors = await seed(app)
  // A real cursor with its sort key replaced: the fingerprint still matches, so it reaches SQL.
  const [direction, , id, print] = JSON.parse(Buffer.from(cursors[0]?.cursor ?? '', 'base64url').toString('utf8')) as unknown[]
  const forged = Buffer.from(JSON.stringify([direction, ['garbage'], id, print])).toString('base64url')
  const cases: Array<{ request: FuzzRequest, parameter: string }> = [
    { request: { method: 'GET', path: '/fhir/Patient', raw: 'name=%00' }, parameter: 'name' },
    { request: { method: 'GET', path: '/fhir/Patient', raw: 'identifier=a%00' }, parameter: 'identifier' },
    { request: { method: 'POST', path: '/fhir/Task/_search', raw: `code=${Array<string>(70_000).fill('a').join(',')}` }, parameter: 'code' },
    { request: { method: 'GET', path: '/fhir/Patient', raw: `_count=1&_cursor=${forged}` }, parameter: '_cursor' },
    { request: { method: 'GET', path: '/fhir', raw: '_type=Spaceship' }, parameter: '_type' },
    { request: { method: 'GET', path: '/fhir', raw: '_type=' }, parameter: '_type' },
    { request: { method: 'GET', path: '/fhir/Patient', raw: '_count=-1' }, parameter: '_count' },
    { request: { method: 'GET', path: '/fhir/Patient', raw: '_sort=nope' }, parameter: '_sort' },
    { request: { method: 'GET', path: '/fhir/Patient', raw: '_has:Observation:patient:nope=1' }, parameter: 'nope' }
  ]
  for (const { request, parameter } of cases) {
    const answer = await send(app, request)
    const label = `${request.method} ${request.path}?${clip(request.raw)}`
    t.equal(answer.status, 400, `${label}: 400`)
    t.equal(problemWith(request, answer), undefined, `${label}: an OperationOutcome naming a parameter`)
    t.match(answer.body, parameter, `${label}: names ${parameter}`)
  }
})
