/**
 * Counted searches (SEARCH_COUNTED): the count of a registered search comes from a membership
 * table that a trigger keeps in step with every write, in the writing transaction. It must agree
 * with the search itself after creates, updates, deletes, bulk writes and concurrent writes.
 */
import { test } from 'tap'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { buildTestApp, FHIR, FHIR_JSON, isolatedDatabaseUrl, patient, referral } from '../helper.js'

const SP = 'http://snomed.info/sct|871731000000106'
const TILE = `ServiceRequest?code=${SP}&status=active`

async function post (app: FastifyInstance, resource: Record<string, unknown>): Promise<any> {
  const res = await app.inject({ method: 'POST', url: `${FHIR}/${resource.resourceType as string}`, headers: FHIR_JSON, payload: resource })
  if (res.statusCode !== 201) throw new Error(`create failed ${res.statusCode}: ${res.body}`)
  return res.json()
}

async function put (app: FastifyInstance, resource: Record<string, any>): Promise<void> {
  const res = await app.inject({ method: 'PUT', url: `${FHIR}/${resource.resourceType as string}/${resource.id as string}`, headers: FHIR_JSON, payload: resource })
  if (res.statusCode !== 200 && res.statusCode !== 201) throw new Error(`update failed ${res.statusCode}: ${res.body}`)
}

async function remove (app: FastifyInstance, type: string, id: string): Promise<void> {
  const res = await app.inject({ method: 'DELETE', url: `${FHIR}/${type}/${id}` })
  if (res.statusCode !== 204 && res.statusCode !== 200) throw new Error(`delete failed ${res.statusCode}: ${res.body}`)
}

async function search (app: FastifyInstance, query: string): Promise<any> {
  const res = await app.inject({ method: 'GET', url: `${FHIR}/${query}` })
  if (res.statusCode !== 200) throw new Error(`search ${query} answered ${res.statusCode}: ${res.body}`)
  return res.json()
}

/** The tile's count, and the number of matches the search itself returns (a page, not counted). */
async function tileAndPage (app: FastifyInstance): Promise<[number, number]> {
  const count = (await search(app, `${TILE}&_summary=count`)).total as number
  const page = await search(app, `${TILE}&_count=1000`)
  return [count, (page.entry ?? []).filter((e: any) => e.search.mode === 'match').length]
}

/** On PostgreSQL, the membership rows themselves (so the test knows the tally answered). */
async function members (url: string | undefined): Promise<number | undefined> {
  if (url === undefined) return undefined
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM search_tally_member')
    return Number(rows[0]?.n)
  } finally {
    await client.end()
  }
}

test('a counted search follows creates, updates, deletes and bulk writes', async (t) => {
  const url = await isolatedDatabaseUrl(t)
  const { app } = await buildTestApp(t, { SEARCH_COUNTED: `${TILE} Patient?gender=female`, ...(url === undefined ? {} : { DATABASE_URL: url }) })
  t.same(await tileAndPage(app), [0, 0])

  const created: any[] = []
  for (let i = 0; i < 6; i++) created.push(await post(app, referral({ status: i < 4 ? 'active' : 'draft' })))
  await post(app, { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/x' }, code: { coding: [{ system: 'http://snomed.info/sct', code: '3457005' }] } })
  t.same(await tileAndPage(app), [4, 4], 'creates: only the tile\'s code and status count')
  const rows = await members(url)
  if (rows !== undefined) t.equal(rows, 4, 'the count comes from the membership rows')

  await put(app, { ...created[0], status: 'completed' })
  await put(app, { ...created[4], status: 'active' })
  await put(app, { ...created[1], note: [{ text: 'still active' }] })
  t.same(await tileAndPage(app), [4, 4], 'updates move resources out of and into the count')
  await remove(app, 'ServiceRequest', created[2].id)
  t.same(await tileAndPage(app), [3, 3], 'a delete leaves the count')
  await put(app, { ...created[2], status: 'active' })
  t.same(await tileAndPage(app), [4, 4], 'a re-created (updated after delete) resource counts again')

  // A transaction bundle writes several resources in one transaction.
  const bundle = await app.inject({
    method: 'POST',
    url: FHIR,
    headers: FHIR_JSON,
    payload: {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { request: { method: 'POST', url: 'ServiceRequest' }, resource: referral() },
        { request: { method: 'POST', url: 'ServiceRequest' }, resource: referral() },
        { request: { method: 'DELETE', url: `ServiceRequest/${created[3].id as string}` } }
      ]
    }
  })
  t.equal(bundle.statusCode, 200, 'the transaction is accepted')
  t.same(await tileAndPage(app), [5, 5], 'a transaction bundle')

  // A failing transaction leaves the count as it was.
  const failing = await app.inject({
    method: 'POST',
    url: FHIR,
    headers: FHIR_JSON,
    payload: {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { request: { method: 'POST', url: 'ServiceRequest' }, resource: referral() },
        { request: { method: 'PUT', url: `ServiceRequest/${created[1].id as string}` }, resource: { ...created[1], status: 'not-a-status' } }
      ]
    }
  })
  t.not(failing.statusCode, 200)
  t.same(await tileAndPage(app), [5, 5], 'a rolled-back transaction changes nothing')

  await post(app, { ...patient('9000000009'), gender: 'female' })
  await post(app, { ...patient('9434765919'), gender: 'male' })
  t.equal((await search(app, 'Patient?gender=female&_summary=count')).total, 1, 'a second counted search, on another type')
  t.equal((await search(app, `ServiceRequest?status=active&code=${SP}&_summary=count`)).total, 5, 'parameters in another order name the same search')
})

test('a counted search stays exact under concurrent writes and deletes', async (t) => {
  const { app } = await buildTestApp(t, { SEARCH_COUNTED: TILE })
  const created: any[] = []
  for (let i = 0; i < 20; i++) created.push(await post(app, referral({ status: 'active' })))
  const counts: number[] = []
  await Promise.all([
    ...created.slice(0, 5).map(async r => { await remove(app, 'ServiceRequest', r.id) }),
    ...created.slice(5, 10).map(async r => { await put(app, { ...r, status: 'on-hold' }) }),
    ...created.slice(10, 13).map(async r => { await put(app, { ...r, note: [{ text: 'touched' }] }) }),
    ...Array.from({ length: 8 }, async (_, i) => { await post(app, referral({ status: i % 2 === 0 ? 'active' : 'draft' })) }),
    ...Array.from({ length: 6 }, async () => { counts.push((await search(app, `${TILE}&_summary=count`)).total) })
  ])
  t.ok(counts.every(n => n >= 10 && n <= 24), `counts during the writes stay within what the writes allow (${counts.join(', ')})`)
  t.same(await tileAndPage(app), [14, 14], 'after the writes the count is exact')
})

test('searches that depend on other resources, value sets or the clock cannot be counted', async (t) => {
  for (const bad of ['ServiceRequest?subject:Patient.name=smith', 'Patient?_has:ServiceRequest:subject:status=active', 'ServiceRequest?authored=ap2026-01-01', 'Nothing?status=active']) {
    await t.rejects(buildTestApp(t, { SEARCH_COUNTED: bad }), bad)
  }
})
