/**
 * Nothing leaves unaccounted for: when AuditEvents cannot be stored, a read answers the generic
 * 500 instead of the data, and a create fails without storing its resource. (PostgreSQL only:
 * the store is broken from outside, under the running app, by refusing audit records.)
 */
import { test } from 'tap'
import pg from 'pg'
import { buildTestApp, FHIR, FHIR_JSON, patient } from '../helper.js'

test('when the audit trail cannot be written, no data is answered or stored', { skip: process.env.DATABASE_URL === undefined ? 'needs PostgreSQL to break the schema under the running app' : false }, async (t) => {
  const { app } = await buildTestApp(t)
  const created = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: patient('9000000009', 'Withheld') })
  t.equal(created.statusCode, 201)
  const id = created.json().id as string

  // This test's schema is the one holding the patient just created.
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await client.connect()
  t.teardown(async () => { await client.end() })
  const { rows } = await client.query<{ table_schema: string }>(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'resource' AND table_schema LIKE 't\\_%'`)
  let schema: string | undefined
  for (const row of rows) {
    if ((await client.query(`SELECT 1 FROM ${row.table_schema}.resource WHERE id = $1`, [id])).rows.length === 1) schema = row.table_schema
  }
  t.ok(schema, 'found this test schema')
  const refuseAudits = async (on: boolean): Promise<void> => {
    await client.query(on
      ? `ALTER TABLE ${schema ?? ''}.audit_record ADD CONSTRAINT refuse_audit CHECK (false) NOT VALID`
      : `ALTER TABLE ${schema ?? ''}.audit_record DROP CONSTRAINT refuse_audit`)
  }
  const patients = async (): Promise<number> => (await app.inject({ method: 'GET', url: `${FHIR}/Patient?_summary=count` })).json().total as number

  await refuseAudits(true)
  const read = await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}`, headers: { 'x-request-id': 'withheld-read' } })
  t.equal(read.statusCode, 500)
  t.equal(read.json().issue[0].details.text, 'Internal server error (request id withheld-read)')
  t.notOk(read.body.includes('Withheld') || read.body.includes('9000000009'), 'no patient data in the answer')
  t.equal(read.headers.etag, undefined)

  const create = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: patient('9000000017', 'Unrecorded') })
  t.equal(create.statusCode, 500)
  const update = await app.inject({ method: 'PUT', url: `${FHIR}/Patient/${id}`, headers: FHIR_JSON, payload: { ...patient('9000000009', 'Changed'), id } })
  t.equal(update.statusCode, 500)
  await refuseAudits(false)

  t.equal(await patients(), 1, 'the unaudited create stored nothing')
  const after = await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}` })
  t.equal(after.json().meta.versionId, '1', 'the unaudited update stored nothing')
  t.equal(after.json().name[0].family, 'Withheld')
})
