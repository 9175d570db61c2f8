/** Every error is an OperationOutcome with the right status, and a rejected write stores nothing. */
import { test } from 'tap'
import type { InjectOptions } from 'fastify'
import { buildTestApp, FHIR, FHIR_JSON, referral, versionCount } from '../helper.js'

test('bad requests answer 4xx OperationOutcomes and store nothing', async (t) => {
  const { app } = await buildTestApp(t, { BODY_LIMIT: '2048' })
  const cases: Array<{ name: string, request: InjectOptions, status: number, code?: string }> = [
    { name: 'malformed JSON', request: { method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON, payload: '{"resourceType": "ServiceRequest",' }, status: 400 },
    { name: 'empty body', request: { method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON, payload: '' }, status: 400 },
    { name: 'array body', request: { method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON, payload: '[]' }, status: 400 },
    { name: 'resourceType differs from the URL', request: { method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON, payload: { resourceType: 'Patient' } }, status: 400 },
    { name: 'id in body differs from the URL', request: { method: 'PUT', url: `${FHIR}/ServiceRequest/abc`, headers: FHIR_JSON, payload: referral({ id: 'xyz' }) }, status: 400 },
    { name: 'update without id in body', request: { method: 'PUT', url: `${FHIR}/ServiceRequest/abc`, headers: FHIR_JSON, payload: referral() }, status: 400 },
    { name: 'invalid id in URL', request: { method: 'PUT', url: `${FHIR}/ServiceRequest/${'x'.repeat(65)}`, headers: FHIR_JSON, payload: referral({ id: 'x'.repeat(65) }) }, status: 400 },
    { name: 'unknown type', request: { method: 'POST', url: `${FHIR}/Spaceship`, headers: FHIR_JSON, payload: { resourceType: 'Spaceship' } }, status: 404, code: 'not-found' },
    { name: 'real FHIR type the server does not hold', request: { method: 'POST', url: `${FHIR}/MedicationRequest`, headers: FHIR_JSON, payload: { resourceType: 'MedicationRequest' } }, status: 404, code: 'not-found' },
    { name: 'wrong method', request: { method: 'POST', url: `${FHIR}/ServiceRequest/abc`, headers: FHIR_JSON, payload: referral() }, status: 405 },
    { name: 'body over the limit', request: { method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON, payload: referral({ note: [{ text: 'x'.repeat(4096) }] }) }, status: 413 },
    { name: 'XML body', request: { method: 'POST', url: `${FHIR}/ServiceRequest`, headers: { 'content-type': 'application/fhir+xml' }, payload: '<ServiceRequest xmlns="http://hl7.org/fhir"/>' }, status: 415 },
    { name: 'text body', request: { method: 'POST', url: `${FHIR}/ServiceRequest`, headers: { 'content-type': 'text/plain' }, payload: 'hello' }, status: 415 },
    { name: 'XML wanted', request: { method: 'POST', url: `${FHIR}/ServiceRequest`, headers: { ...FHIR_JSON, accept: 'application/fhir+xml' }, payload: referral() }, status: 406 },
    { name: '_format=xml', request: { method: 'POST', url: `${FHIR}/ServiceRequest?_format=xml`, headers: FHIR_JSON, payload: referral() }, status: 406 },
    { name: 'unsupported search parameter in If-None-Exist', request: { method: 'POST', url: `${FHIR}/ServiceRequest`, headers: { ...FHIR_JSON, 'if-none-exist': 'flavour=mint' }, payload: referral() }, status: 400 },
    { name: 'a Bundle that is not batch or transaction', request: { method: 'POST', url: `${FHIR}/`, headers: FHIR_JSON, payload: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: referral() }] } }, status: 400 }
  ]
  for (const c of cases) {
    const res = await app.inject(c.request)
    t.equal(res.statusCode, c.status, `${c.name}: status`)
    const outcome = res.json()
    t.equal(outcome.resourceType, 'OperationOutcome', `${c.name}: OperationOutcome`)
    t.equal(outcome.issue[0].severity, 'error', `${c.name}: error issue`)
    t.ok(outcome.issue[0].details?.text, `${c.name}: says what is wrong`)
    if (c.code !== undefined) t.equal(outcome.issue[0].code, c.code)
  }
  t.equal(await versionCount(app, 'ServiceRequest'), 0, 'nothing was stored')
  t.equal(await versionCount(app, 'Patient'), 0, 'nothing was stored')
})

test('unknown ids are 404 and unknown paths are OperationOutcomes too', async (t) => {
  const { app } = await buildTestApp(t)
  for (const url of [`${FHIR}/ServiceRequest/does-not-exist`, `${FHIR}/ServiceRequest/does-not-exist/_history/1`, `${FHIR}/ServiceRequest/a/b/c/d/e`, '/nowhere']) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 404, url)
    t.equal(res.json().resourceType, 'OperationOutcome', url)
  }
  const patchMissing = await app.inject({ method: 'PATCH', url: `${FHIR}/ServiceRequest/nope`, headers: { 'content-type': 'application/json-patch+json' }, payload: [] })
  t.equal(patchMissing.statusCode, 404)
  const deleteMissing = await app.inject({ method: 'DELETE', url: `${FHIR}/ServiceRequest/nope` })
  t.equal(deleteMissing.statusCode, 404)
  const wrongOnType = await app.inject({ method: 'DELETE', url: `${FHIR}/ServiceRequest` })
  t.equal(wrongOnType.statusCode, 405)
  t.match(wrongOnType.headers.allow, /GET/)
})

test('an unexpected failure is a 500 with a generic message and the request id', { skip: process.env.DATABASE_URL === undefined ? 'needs PostgreSQL to break the schema under the running app' : false }, async (t) => {
  const pg = (await import('pg')).default
  const { app } = await buildTestApp(t)
  // Break the store from outside: drop the resource table of this test's schema.
  const created = await app.inject({ method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON, payload: referral() })
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await client.connect()
  const { rows } = await client.query(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'resource' AND table_schema LIKE 't\\_%' ORDER BY table_schema`)
  let broken = false
  for (const row of rows) {
    const found = await client.query(`SELECT 1 FROM ${row.table_schema}.resource WHERE id = $1`, [created.json().id])
    if (found.rows.length === 1) {
      await client.query(`ALTER TABLE ${row.table_schema}.resource RENAME TO resource_broken`)
      t.teardown(async () => {
        const c = new pg.Client({ connectionString: process.env.DATABASE_URL })
        await c.connect()
        await c.query(`ALTER TABLE ${row.table_schema}.resource_broken RENAME TO resource`).catch(() => {})
        await c.end()
      })
      broken = true
    }
  }
  await client.end()
  t.ok(broken, 'found this test schema')
  const res = await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest/${created.json().id}`, headers: { 'x-request-id': 'trace-500-test' } })
  t.equal(res.statusCode, 500)
  t.equal(res.json().resourceType, 'OperationOutcome')
  t.equal(res.json().issue[0].details.text, 'Internal server error (request id trace-500-test)')
  t.notMatch(res.body, /relation|SELECT|\.ts:|\n\s+at /, 'no SQL or stack trace leaks')
})
