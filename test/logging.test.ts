/** No personal data in logs, and a request id on every request line. */
import { test } from 'tap'
import { buildTestApp, FHIR, FHIR_JSON } from './helper.js'

const PERSONAL = {
  nhsNumber: '9434765919',
  family: 'Featherstonehaugh',
  given: 'Philippa',
  birthDate: '1948-07-23',
  line: '17 Quillfeather Lane',
  postcode: 'LS1 4AP',
  phone: '07700900461',
  note: 'Lives alone since her husband died and rarely leaves the flat'
}

test('a full create/read/search/update/error cycle logs none of the personal values sent', async (t) => {
  const { app, logs } = await buildTestApp(t, { LOG_LEVEL: 'trace' })
  const person = {
    resourceType: 'Patient',
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: PERSONAL.nhsNumber }],
    name: [{ family: PERSONAL.family, given: [PERSONAL.given] }],
    birthDate: PERSONAL.birthDate,
    telecom: [{ system: 'phone', value: PERSONAL.phone }],
    address: [{ line: [PERSONAL.line], postalCode: PERSONAL.postcode }]
  }
  const created = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: { ...FHIR_JSON, 'if-none-exist': `identifier=https://fhir.nhs.uk/Id/nhs-number|${PERSONAL.nhsNumber}` }, payload: person })
  t.equal(created.statusCode, 201)
  const id = created.json().id
  await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}` })
  await app.inject({ method: 'GET', url: `${FHIR}/Patient?identifier=${PERSONAL.nhsNumber}` })
  await app.inject({ method: 'PUT', url: `${FHIR}/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${PERSONAL.nhsNumber}`, headers: FHIR_JSON, payload: { ...person, id } })
  // A client that uses the NHS number as the id: the id must not reach the logs either.
  await app.inject({ method: 'PUT', url: `${FHIR}/Patient/${PERSONAL.nhsNumber}`, headers: FHIR_JSON, payload: { ...person, id: PERSONAL.nhsNumber } })
  await app.inject({ method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON, payload: { resourceType: 'ServiceRequest', status: 'bogus', intent: 'order', subject: { reference: `Patient/${id}` }, note: [{ text: PERSONAL.note }] } })
  await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: `{"resourceType":"Patient","name":[{"family":"${PERSONAL.family}"` })
  await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: { ...person, birthDate: `${PERSONAL.birthDate}X` } })
  await app.inject({ method: 'POST', url: FHIR, headers: FHIR_JSON, payload: { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { ...person, gender: 'nope' }, request: { method: 'POST', url: 'Patient' } }] } })

  const output = logs()
  t.ok(output.length > 0, 'something was logged')
  for (const [name, value] of Object.entries(PERSONAL)) {
    t.notOk(output.includes(value), `${name} does not appear in the logs`)
  }
  const lines = output.trim().split('\n').map(line => JSON.parse(line))
  const requestLines = lines.filter(line => line.req !== undefined || line.res !== undefined)
  t.ok(requestLines.length >= 16, 'request lines were logged')
  t.ok(requestLines.every(line => typeof line.reqId === 'string' && line.reqId.length > 0), 'every request line has a request id')
})

test('an incoming X-Request-Id is honoured and echoed; a malformed one is replaced', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: `${FHIR}/metadata`, headers: { 'x-request-id': 'gp-system-abc-123' } })
  t.equal(res.headers['x-request-id'], 'gp-system-abc-123')
  t.match(logs(), /"reqId":"gp-system-abc-123"/)
  const odd = await app.inject({ method: 'GET', url: `${FHIR}/metadata`, headers: { 'x-request-id': 'has spaces and "quotes"' } })
  t.match(odd.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})
