/**
 * Searches that combine an Observation's code, date and value are answered from the compound
 * index (src/store/search-compound.ts). They must return exactly what the conditions return one
 * by one, intersected: for single dates, periods, several dates (Timing), missing values, several
 * codings and several quantity rows, with every date prefix, and after updates and deletes.
 */
import { test, type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, FHIR, FHIR_JSON, searchIds } from '../helper.js'
import { HEIGHT, LOINC, observation, OBSERVATIONS, WEIGHT } from './search-support/compound-observations.js'

/** Searches the compound answers (token + dates, with or without a value) and the parts they are made of. */
const QUERIES: ReadonlyArray<readonly string[]> = [
  [`code=${LOINC}|${WEIGHT}`, 'date=ge2025-04', 'date=le2025-06', 'value-quantity=lt14'],
  [`code=${LOINC}|${WEIGHT}`, 'date=ge2025-04', 'date=le2025-06'],
  [`code=${WEIGHT}`, 'date=2025-05', 'value-quantity=ge10'],
  [`code=${LOINC}|${WEIGHT},${LOINC}|${HEIGHT}`, 'date=2025-05-13', 'value-quantity=le5'],
  [`code=|${WEIGHT}`, 'date=gt2025-05-10T10:30:00Z'],
  [`code=${LOINC}|${WEIGHT}`, 'date=lt2025-04-01T00:00:00Z'],
  [`code=${LOINC}|${WEIGHT}`, 'date=sa2025-05-01', 'date=eb2025-07-01'],
  [`code=${LOINC}|${WEIGHT}`, 'date=ne2025-05-10'],
  [`code=${LOINC}|${WEIGHT}`, 'date=ap2025-05-12'],
  [`code=${LOINC}|${WEIGHT}`, 'date=ge2025-05-01,le2025-01-31', 'value-quantity=lt14'],
  [`code=${LOINC}|${WEIGHT}`, 'date=ge2025-01-01', 'value-quantity=lt14|http://unitsofmeasure.org|{score}'],
  [`code=${LOINC}|${WEIGHT}`, 'date=ge2025-01-01', 'value-quantity=lt14||points'],
  [`code=${LOINC}|${WEIGHT}`, 'date=ge2025-01-01', 'value-quantity=gt5', 'value-quantity=lt13'],
  [`code=${LOINC}|${WEIGHT}`, `code=${LOINC}|${HEIGHT}`, 'date=ge2025-05-12T00:00:00Z', 'date=le2025-05-12T23:00:00Z'],
  [`code=${LOINC}|${WEIGHT}`, 'date=le2025-01-31', 'date=ge2025-05-01'],
  [`code=${LOINC}|${WEIGHT}`, 'date=ge2026-01-01'],
  [`code=${LOINC}|${WEIGHT}`, 'date=eq2025-05-10T10:00:00Z']
]

async function put (app: FastifyInstance, resource: Record<string, unknown>): Promise<void> {
  const res = await app.inject({ method: 'PUT', url: `${FHIR}/Observation/${resource.id as string}`, headers: FHIR_JSON, payload: resource })
  if (res.statusCode !== 200 && res.statusCode !== 201) throw new Error(`update failed ${res.statusCode}: ${res.body}`)
}

/** The ids a search matches, from every page. */
async function ids (app: FastifyInstance, params: readonly string[]): Promise<string[]> {
  return (await searchIds(app, `Observation?${params.join('&')}`, 7)).sort()
}

async function count (app: FastifyInstance, params: readonly string[]): Promise<number> {
  const res = await app.inject({ method: 'GET', url: `${FHIR}/Observation?${params.join('&')}&_summary=count` })
  return res.json().total as number
}

/** What the conditions match one at a time (no compound fits a single condition), intersected. */
async function expected (app: FastifyInstance, params: readonly string[]): Promise<string[]> {
  const each = await Promise.all(params.map(async p => new Set(await ids(app, [p]))))
  return [...(each[0] ?? new Set<string>())].filter(id => each.every(set => set.has(id))).sort()
}

async function checkAll (t: Test, app: FastifyInstance): Promise<number> {
  let nonEmpty = 0
  for (const params of QUERIES) {
    const want = await expected(app, params)
    if (want.length > 0) nonEmpty++
    t.same(await ids(app, params), want, params.join('&'))
    t.equal(await count(app, params), want.length, `${params.join('&')} counted`)
  }
  return nonEmpty
}

test('code + date (+ value) searches return exactly the intersection of their conditions', async (t) => {
  const { app } = await buildTestApp(t)
  for (const o of OBSERVATIONS) await put(app, o)

  t.same(await ids(app, QUERIES[0] as string[]), ['day', 'offset-edge', 'period-across', 'period-inside', 'period-open', 'point-low', 'timing', 'timing-far', 'two-codes', 'unit-only'],
    'the bench query: points, a day, periods overlapping the quarter, Timing events on either side, a second coding, a unit without a system')
  const nonEmpty = await checkAll(t, app)
  t.ok(nonEmpty >= QUERIES.length - 2, `most searches match something (${nonEmpty} of ${QUERIES.length})`)

  await t.test('sorted and paged', async (t) => {
    const res = await app.inject({ method: 'GET', url: `${FHIR}/Observation?${(QUERIES[0] as string[]).join('&')}&_sort=-date&_count=3` })
    t.same(res.json().entry.map((e: any) => e.resource.id), ['period-open', 'timing-far', 'day'], 'latest end first')
  })

  await t.test('after updates and deletes', async (t) => {
    await put(app, observation('point-low', WEIGHT, { effectiveDateTime: '2025-08-10T10:00:00Z' }, 12))
    await put(app, observation('timing', WEIGHT, { effectiveDateTime: '2025-05-15T09:00:00Z' }, 7))
    await put(app, observation('period-inside', WEIGHT, { effectiveTiming: { event: ['2025-04-03', '2025-09-03'] } }, 10))
    const del = await app.inject({ method: 'DELETE', url: `${FHIR}/Observation/day` })
    t.equal(del.statusCode, 204)
    t.same(await ids(app, QUERIES[0] as string[]), ['offset-edge', 'period-across', 'period-inside', 'period-open', 'timing', 'timing-far', 'two-codes', 'unit-only'],
      'moved out, changed shape and deleted resources follow their current version')
    await checkAll(t, app)
  })
})
