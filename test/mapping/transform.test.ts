/** Mappings served as StructureMap resources and run by StructureMap/$transform, nothing stored. */
import { readFileSync } from 'node:fs'
import { test } from 'tap'
import { buildTestApp, FHIR, FHIR_JSON, versionCount } from '../helper.js'

const read = (file: string): unknown => JSON.parse(readFileSync(`mappings/gp-referral-json/fixtures/${file}`, 'utf8'))
const csvFixture = (file: string): string => readFileSync(`mappings/crm-outcomes-csv/fixtures/${file}`, 'utf8')
const csvExpected = (file: string): unknown => JSON.parse(csvFixture(file))
const CSV = { 'content-type': 'text/csv' }
const CSV_MAP_URL = 'https://fhir.socialprescribing.example/StructureMap/crm-outcomes-csv'

test('StructureMap read, search and $transform', async (t) => {
  const { app } = await buildTestApp(t)

  await t.test('each mapping is a StructureMap of the FHIR API, and a valid one', async (t) => {
    const res = await app.inject({ method: 'GET', url: `${FHIR}/StructureMap/gp-referral-json` })
    t.equal(res.statusCode, 200)
    const map = res.json()
    t.match(map, { resourceType: 'StructureMap', url: 'https://fhir.socialprescribing.example/StructureMap/gp-referral-json', version: '1.1.0', name: 'GpReferralJson', status: 'active' })
    t.ok(map.group[0].rule.every((rule: { name: string }) => /^[A-Za-z0-9.-]+$/.test(rule.name)), 'every rule has an id-like name')
    const found = await app.inject({ method: 'GET', url: `${FHIR}/StructureMap?url=https://fhir.socialprescribing.example/StructureMap/gp-referral-json` })
    t.equal(found.json().entry.length, 1)
    const { id: _id, meta: _meta, ...copy } = map
    const created = await app.inject({ method: 'POST', url: `${FHIR}/StructureMap`, headers: FHIR_JSON, payload: { ...copy, url: 'https://example.org/StructureMap/copy' } })
    t.equal(created.statusCode, 201, `the served StructureMap passes R4 validation: ${created.body}`)
  })

  await t.test('the CapabilityStatement lists $transform', async (t) => {
    const cs = (await app.inject({ method: 'GET', url: `${FHIR}/metadata` })).json()
    const sm = cs.rest[0].resource.find((r: { type: string }) => r.type === 'StructureMap')
    t.same(sm.operation, [{ name: 'transform', definition: 'http://hl7.org/fhir/OperationDefinition/StructureMap-transform' }])
  })

  await t.test('$transform on the instance with the payload as the body', async (t) => {
    const before = await versionCount(app, 'Patient')
    const res = await app.inject({ method: 'POST', url: `${FHIR}/StructureMap/gp-referral-json/$transform`, headers: FHIR_JSON, payload: read('normal.input.json') as object })
    t.equal(res.statusCode, 200)
    t.same(res.json(), read('normal.expected.json'), 'the same output as the fixture')
    t.equal(await versionCount(app, 'Patient'), before, 'nothing stored')
  })

  await t.test('$transform with Parameters (content as resource-less text) and with a source url', async (t) => {
    const parameters = { resourceType: 'Parameters', parameter: [{ name: 'content', valueString: JSON.stringify(read('minimal.input.json')) }] }
    const byId = await app.inject({ method: 'POST', url: `${FHIR}/StructureMap/gp-referral-json/$transform`, headers: FHIR_JSON, payload: parameters })
    t.equal(byId.statusCode, 200)
    t.same(byId.json(), read('minimal.expected.json'))
    const bySource = await app.inject({ method: 'POST', url: `${FHIR}/StructureMap/$transform?source=${encodeURIComponent('https://fhir.socialprescribing.example/StructureMap/gp-referral-json')}`, headers: FHIR_JSON, payload: read('minimal.input.json') as object })
    t.equal(bySource.statusCode, 200)
    t.same(bySource.json(), read('minimal.expected.json'))
    const sourceParam = await app.inject({ method: 'POST', url: `${FHIR}/StructureMap/$transform`, headers: FHIR_JSON, payload: { resourceType: 'Parameters', parameter: [{ name: 'source', valueUri: 'https://fhir.socialprescribing.example/StructureMap/gp-referral-json' }, { name: 'content', valueAttachment: { contentType: 'application/json', data: Buffer.from(JSON.stringify(read('minimal.input.json'))).toString('base64') } }] } })
    t.equal(sourceParam.statusCode, 200)
    t.same(sourceParam.json(), read('minimal.expected.json'))
  })

  await t.test('$transform of a CSV mapping: a text/csv body, by id or by source, maps every row and stores nothing', async (t) => {
    const before = await versionCount(app, 'Observation')
    const byId = await app.inject({ method: 'POST', url: `${FHIR}/StructureMap/crm-outcomes-csv/$transform`, headers: CSV, payload: csvFixture('normal.input.csv') })
    t.equal(byId.statusCode, 200, byId.body)
    t.same(byId.json(), csvExpected('normal.expected.json'), 'the same transaction Bundle as the fixture (and as POST /inbound would store)')
    const bySource = await app.inject({ method: 'POST', url: `${FHIR}/StructureMap/$transform?source=${encodeURIComponent(CSV_MAP_URL)}`, headers: CSV, payload: csvFixture('normal.input.csv') })
    t.equal(bySource.statusCode, 200, bySource.body)
    t.same(bySource.json(), csvExpected('normal.expected.json'))
    const awkward = await app.inject({ method: 'POST', url: `${FHIR}/StructureMap/crm-outcomes-csv/$transform`, headers: CSV, payload: csvFixture('awkward.input.csv') })
    t.equal(awkward.statusCode, 400, 'BOM, CRLF and quoted cells are read; the padded total is refused, all rows or none')
    t.same(awkward.json(), csvExpected('awkward.expected.json'))
    const inParameters = await app.inject({ method: 'POST', url: `${FHIR}/StructureMap/crm-outcomes-csv/$transform`, headers: FHIR_JSON, payload: { resourceType: 'Parameters', parameter: [{ name: 'content', valueString: csvFixture('minimal.input.csv') }] } })
    t.equal(inParameters.statusCode, 200)
    t.same(inParameters.json(), csvExpected('minimal.expected.json'))
    t.equal(await versionCount(app, 'Observation'), before, 'nothing stored')
  })

  await t.test('$transform of a CSV mapping: broken quoting and bad rows are 400 naming the line and row; JSON is refused; nothing stored', async (t) => {
    const before = await versionCount(app, 'Observation')
    const letters = (await app.inject({ method: 'GET', url: '/inbound/dead-letter?_count=200' })).json().items.length
    const quoting = await app.inject({ method: 'POST', url: `${FHIR}/StructureMap/crm-outcomes-csv/$transform`, headers: CSV, payload: csvFixture('bad-quoting.input.csv') })
    t.equal(quoting.statusCode, 400)
    t.same(quoting.json(), csvExpected('bad-quoting.expected.json'))
    t.match(quoting.json().issue[0].details.text, /line \d+/, 'names the line')
    const rows = await app.inject({ method: 'POST', url: `${FHIR}/StructureMap/$transform?source=${encodeURIComponent(CSV_MAP_URL)}`, headers: CSV, payload: csvFixture('bad-rows.input.csv') })
    t.equal(rows.statusCode, 400)
    t.match(rows.json().issue[0].details.text, /^row \d+ \(line \d+\): /, 'each problem names its row and line')
    const json = await app.inject({ method: 'POST', url: `${FHIR}/StructureMap/crm-outcomes-csv/$transform`, headers: FHIR_JSON, payload: { assessment_id: 'A1' } })
    t.equal(json.statusCode, 400)
    t.match(json.json().issue[0].details.text, /reads CSV: send the text as a text\/csv body/)
    const csvToJsonMap = await app.inject({ method: 'POST', url: `${FHIR}/StructureMap/gp-referral-json/$transform`, headers: CSV, payload: 'a,b\n1,2\n' })
    t.equal(csvToJsonMap.statusCode, 400, 'CSV text for a JSON mapping is not JSON')
    t.match(csvToJsonMap.json().issue[0].details.text, /is not JSON/)
    t.equal((await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: CSV, payload: 'a,b\n1,2\n' })).statusCode, 415, 'the rest of the FHIR API still takes JSON only')
    t.equal(await versionCount(app, 'Observation'), before, 'nothing stored')
    t.equal((await app.inject({ method: 'GET', url: '/inbound/dead-letter?_count=200' })).json().items.length, letters, '$transform keeps no dead letters')
  })

  await t.test('$transform errors', async (t) => {
    const bad = await app.inject({ method: 'POST', url: `${FHIR}/StructureMap/gp-referral-json/$transform`, headers: FHIR_JSON, payload: read('bad-nhs-number.input.json') as object })
    t.equal(bad.statusCode, 400)
    t.same(bad.json(), read('bad-nhs-number.expected.json'))
    t.equal((await app.inject({ method: 'POST', url: `${FHIR}/StructureMap/nope/$transform`, headers: FHIR_JSON, payload: {} })).statusCode, 404)
    t.equal((await app.inject({ method: 'POST', url: `${FHIR}/StructureMap/$transform?source=https://example.org/none`, headers: FHIR_JSON, payload: {} })).statusCode, 404)
    const noSource = await app.inject({ method: 'POST', url: `${FHIR}/StructureMap/$transform`, headers: FHIR_JSON, payload: {} })
    t.equal(noSource.statusCode, 400)
    t.match(noSource.json().issue[0].details.text, /source/)
    const noContent = await app.inject({ method: 'POST', url: `${FHIR}/StructureMap/gp-referral-json/$transform`, headers: FHIR_JSON, payload: { resourceType: 'Parameters', parameter: [] } })
    t.equal(noContent.statusCode, 400)
  })
})
