/**
 * Parameters searched through other parameters' index rows (src/fhir/search/shared-storage.ts)
 * answer over HTTP exactly as their own expressions say: every modifier, :missing, sorting,
 * composites, several types at once, and after an update drops values.
 */
import { test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, FHIR, FHIR_JSON, searchIds } from '../helper.js'

const LOINC = 'http://loinc.org'
const ANSWERS = 'https://example.org/answers'
const ABSENT = 'http://terminology.hl7.org/CodeSystem/data-absent-reason'
const UCUM = 'http://unitsofmeasure.org'

const coded = (code: string, display?: string): object => ({ coding: [{ system: LOINC, code, ...(display === undefined ? {} : { display }) }] })
const score = (value: number): object => ({ value, unit: 'score', system: UCUM, code: '{score}' })
const observation = (id: string, fields: object): Record<string, unknown> => ({ resourceType: 'Observation', id, status: 'final', ...fields })

const OBSERVATIONS = [
  observation('o1', { code: coded('A', 'Alpha wellbeing'), component: [{ code: coded('B'), valueQuantity: score(3) }, { code: coded('C'), valueQuantity: score(7) }] }),
  observation('o2', { code: coded('B'), valueQuantity: score(5) }),
  observation('o3', { code: coded('D'), component: [{ code: coded('A'), valueCodeableConcept: { coding: [{ system: ANSWERS, code: 'yes' }] } }] }),
  observation('o4', { code: coded('E'), valueCodeableConcept: { coding: [{ system: ANSWERS, code: 'no' }] } }),
  observation('o5', { code: coded('F'), dataAbsentReason: { coding: [{ system: ABSENT, code: 'unknown' }] }, component: [{ code: coded('G'), dataAbsentReason: { coding: [{ system: ABSENT, code: 'masked' }] } }] }),
  observation('o6', { code: { text: 'Wellbeing check by telephone' } })
]

/** Each search and the Observations it must find, worked out by hand from the fixtures above. */
const SEARCHES: ReadonlyArray<readonly [query: string, ids: readonly string[]]> = [
  [`combo-code=${LOINC}|A`, ['o1', 'o3']],
  ['combo-code=B', ['o1', 'o2']],
  [`combo-code=${LOINC}|B,${LOINC}|G`, ['o1', 'o2', 'o5']],
  [`combo-code:not=${LOINC}|A`, ['o2', 'o4', 'o5', 'o6']],
  ['combo-code:missing=true', ['o6']],
  ['combo-code:missing=false', ['o1', 'o2', 'o3', 'o4', 'o5']],
  ['combo-code:text=alpha', ['o1']],
  ['combo-code:text=wellbeing', ['o6']],
  ['combo-code:text=alpha wellbeing,wellbeing check', ['o1', 'o6']],
  [`instrument=${LOINC}|C`, ['o1']],
  [`instrument=${LOINC}|A&instrument=${LOINC}|D`, ['o3']],
  ['instrument:missing=true', ['o6']],
  ['combo-value-quantity=gt4', ['o1', 'o2']],
  ['combo-value-quantity=lt4', ['o1']],
  [`combo-value-quantity=5|${UCUM}|{score}`, ['o2']],
  ['combo-value-quantity:missing=true', ['o3', 'o4', 'o5', 'o6']],
  [`combo-value-concept=${ANSWERS}|yes`, ['o3']],
  [`combo-value-concept=${ANSWERS}|yes,${ANSWERS}|no`, ['o3', 'o4']],
  [`combo-data-absent-reason=${ABSENT}|masked`, ['o5']],
  [`combo-data-absent-reason=${ABSENT}|unknown`, ['o5']],
  [`combo-code-value-quantity=${LOINC}|C$7`, ['o1']],
  [`combo-code-value-quantity=${LOINC}|B$gt2`, ['o1', 'o2']],
  [`combo-code-value-quantity=${LOINC}|A$3`, []],
  [`combo-code-value-concept=${LOINC}|A$${ANSWERS}|yes`, ['o3']],
  [`combo-code-value-concept=${LOINC}|E$${ANSWERS}|no`, ['o4']],
  [`combo-code=${LOINC}|A&combo-value-quantity=gt6`, ['o1']]
]

async function put (app: FastifyInstance, resource: Record<string, unknown>): Promise<void> {
  const res = await app.inject({ method: 'PUT', url: `${FHIR}/${resource.resourceType as string}/${resource.id as string}`, headers: FHIR_JSON, payload: resource })
  if (res.statusCode !== 200 && res.statusCode !== 201) throw new Error(`PUT ${resource.id as string} answered ${res.statusCode}: ${res.body}`)
}

/** Ids found, in the order returned, over pages of two (so paging runs through every search). */
async function search (app: FastifyInstance, path: string): Promise<string[]> {
  return await searchIds(app, path, 2)
}

test('parameters that borrow index rows answer what their expressions say', async (t) => {
  const { app } = await buildTestApp(t)
  for (const o of OBSERVATIONS) await put(app, o)

  for (const [query, ids] of SEARCHES) t.same((await search(app, `Observation?${query}`)).sort(), ids, query)

  t.same(await search(app, 'Observation?combo-code:missing=false&_sort=combo-code'), ['o1', 'o3', 'o2', 'o4', 'o5'],
    'ascending on the lowest code among code and component codes (o1 A, o3 A, o2 B, o4 E, o5 F)')
  t.same(await search(app, 'Observation?combo-code:missing=false&_sort=-combo-code'), ['o5', 'o4', 'o3', 'o1', 'o2'],
    'descending on the highest (o5 G, o4 E, o3 D, o1 C, o2 B)')

  await put(app, observation('o1', { code: coded('A', 'Alpha wellbeing') }))
  t.same((await search(app, `Observation?combo-code=${LOINC}|B`)).sort(), ['o2'], 'an update drops the component codes it removed')
  t.same((await search(app, 'Observation?combo-value-quantity=lt4')).sort(), [], 'and their values')
  t.same((await search(app, `Observation?instrument=${LOINC}|A`)).sort(), ['o1', 'o3'], 'and keeps the codes it kept')
})

test('names, aliases and phonetic searches over one or several types', async (t) => {
  const { app } = await buildTestApp(t)
  await put(app, { resourceType: 'Patient', id: 'p1', name: [{ family: 'Ngozi', given: ['Adaeze'] }] })
  await put(app, { resourceType: 'Patient', id: 'p2', name: [{ family: 'Ng' }] })
  await put(app, { resourceType: 'Patient', id: 'p3', name: [{ family: 'Tidy' }] })
  await put(app, { resourceType: 'Patient', id: 'p4', gender: 'unknown' })
  await put(app, { resourceType: 'Organization', id: 'g1', name: 'Harbour Trust', alias: ['Tidewater Friends'] })
  await put(app, { resourceType: 'Organization', id: 'g2', name: 'Tidal Arts' })
  await put(app, { resourceType: 'Practitioner', id: 'r1', name: [{ family: 'Ngata' }] })

  t.same((await search(app, 'Patient?phonetic=ng')).sort(), ['p1', 'p2'], 'phonetic reads the name rows')
  t.same((await search(app, 'Patient?phonetic:exact=Ng')).sort(), ['p2'])
  t.same((await search(app, 'Patient?phonetic:missing=true')).sort(), ['p4'])
  t.same((await search(app, 'Organization?name=tidewater')).sort(), ['g1'], 'an Organization name search reads the alias rows it keeps itself')
  t.same((await search(app, 'Organization?name=harb')).sort(), ['g1'], 'and the name rows phonetic keeps')
  t.same((await search(app, 'Organization?phonetic=tidewater')).sort(), [], 'phonetic is the name alone, without the alias')
  t.same((await search(app, 'Organization?name:missing=true')).sort(), [])
  t.same((await search(app, '?_type=Patient,Organization&name=tid')).sort(), ['g1', 'g2', 'p3'],
    'two types whose name parameters are stored differently, in one search')
  t.same((await search(app, '?_type=Patient,Practitioner&phonetic=nga')).sort(), ['r1'])
  t.same(await search(app, '?_type=Patient,Organization&name=tid&_sort=name'), ['g1', 'g2', 'p3'],
    'sorted on each resource\'s lowest name, its alias included: "harbour trust", "tidal arts", "tidy"')
})
