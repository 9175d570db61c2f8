/** create, read, vread, update, delete, history: https://hl7.org/fhir/R4/http.html */
import { test } from 'tap'
import { buildTestApp, FHIR, FHIR_JSON, referral, type TestApp } from '../helper.js'

test('create, read, update, delete and history of a referral', async (t) => {
  const { app } = await buildTestApp(t)

  const created = await app.inject({ method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON, payload: { ...referral(), id: 'client-chosen', meta: { versionId: '99' } } })
  t.equal(created.statusCode, 201)
  const body = created.json()
  t.not(body.id, 'client-chosen', 'the server assigns the id on create')
  t.equal(body.meta.versionId, '1')
  t.match(body.meta.lastUpdated, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  t.equal(created.headers.etag, 'W/"1"')
  t.equal(created.headers.location, `http://localhost:8080/fhir/ServiceRequest/${body.id}/_history/1`)
  t.ok(created.headers['last-modified'])
  t.match(created.headers['content-type'], /application\/fhir\+json/)

  const read = await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest/${body.id}` })
  t.equal(read.statusCode, 200)
  t.same(read.json(), body)
  t.equal(read.headers.etag, 'W/"1"')
  const notModified = await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest/${body.id}`, headers: { 'if-none-match': 'W/"1"' } })
  t.equal(notModified.statusCode, 304)

  const updated = await app.inject({ method: 'PUT', url: `${FHIR}/ServiceRequest/${body.id}`, headers: FHIR_JSON, payload: { ...body, status: 'on-hold' } })
  t.equal(updated.statusCode, 200)
  t.equal(updated.json().meta.versionId, '2')
  t.equal(updated.json().status, 'on-hold')
  t.equal(updated.headers.etag, 'W/"2"')

  const v1 = await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest/${body.id}/_history/1` })
  t.equal(v1.statusCode, 200)
  t.equal(v1.json().status, 'active')
  const missingVersion = await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest/${body.id}/_history/7` })
  t.equal(missingVersion.statusCode, 404)

  const deleted = await app.inject({ method: 'DELETE', url: `${FHIR}/ServiceRequest/${body.id}` })
  t.equal(deleted.statusCode, 204)
  t.equal(deleted.headers.etag, 'W/"3"')
  const gone = await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest/${body.id}` })
  t.equal(gone.statusCode, 410)
  t.equal(gone.json().issue[0].code, 'deleted')
  const deletedAgain = await app.inject({ method: 'DELETE', url: `${FHIR}/ServiceRequest/${body.id}` })
  t.equal(deletedAgain.statusCode, 204, 'delete is idempotent')
  t.equal(deletedAgain.headers.etag, 'W/"3"', 'a second delete makes no new version')

  const history = await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest/${body.id}/_history` })
  t.equal(history.statusCode, 200)
  const bundle = history.json()
  t.equal(bundle.type, 'history')
  t.equal(bundle.total, 3)
  t.same(bundle.entry.map((e: any) => e.response.etag), ['W/"3"', 'W/"2"', 'W/"1"'])
  t.same(bundle.entry.map((e: any) => e.request.method), ['DELETE', 'PUT', 'POST'])
  t.notOk(bundle.entry[0].resource, 'the deletion entry has no resource')
  t.equal(bundle.entry[1].resource.status, 'on-hold')

  const resurrected = await app.inject({ method: 'PUT', url: `${FHIR}/ServiceRequest/${body.id}`, headers: FHIR_JSON, payload: { ...body, status: 'active' } })
  t.equal(resurrected.statusCode, 201, 'an update after a delete creates the resource again')
  t.equal(resurrected.json().meta.versionId, '4')
})

test('server-assigned ids are UUIDv7s that sort in the order the resources were created', async (t) => {
  const { app } = await buildTestApp(t)
  const ids = await createReferrals(app, 5)
  t.ok(ids.every(id => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)), 'RFC 9562 version 7')
  t.same([...ids].sort(), ids, 'later creates sort later, so new index entries land beside the last ones')
  t.equal(new Set(ids).size, ids.length)
})

test('update-as-create with a client id, and If-Match optimistic locking', async (t) => {
  const { app } = await buildTestApp(t)
  const put = await app.inject({ method: 'PUT', url: `${FHIR}/ServiceRequest/sp-ref-001`, headers: FHIR_JSON, payload: referral({ id: 'sp-ref-001' }) })
  t.equal(put.statusCode, 201)
  t.equal(put.headers.location, 'http://localhost:8080/fhir/ServiceRequest/sp-ref-001/_history/1')

  const stale = await app.inject({ method: 'PUT', url: `${FHIR}/ServiceRequest/sp-ref-001`, headers: { ...FHIR_JSON, 'if-match': 'W/"7"' }, payload: referral({ id: 'sp-ref-001', status: 'revoked' }) })
  t.equal(stale.statusCode, 412)
  t.equal(stale.json().resourceType, 'OperationOutcome')
  const unchanged = await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest/sp-ref-001` })
  t.equal(unchanged.json().status, 'active', 'a stale If-Match changes nothing')
  t.equal(unchanged.json().meta.versionId, '1')

  const fresh = await app.inject({ method: 'PUT', url: `${FHIR}/ServiceRequest/sp-ref-001`, headers: { ...FHIR_JSON, 'if-match': 'W/"1"' }, payload: referral({ id: 'sp-ref-001', status: 'revoked' }) })
  t.equal(fresh.statusCode, 200)
  t.equal(fresh.json().meta.versionId, '2')

  const staleDelete = await app.inject({ method: 'DELETE', url: `${FHIR}/ServiceRequest/sp-ref-001`, headers: { 'if-match': 'W/"1"' } })
  t.equal(staleDelete.statusCode, 412)
  t.equal((await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest/sp-ref-001` })).statusCode, 200, 'a stale delete deletes nothing')
  const badIfMatch = await app.inject({ method: 'DELETE', url: `${FHIR}/ServiceRequest/sp-ref-001`, headers: { 'if-match': 'yesterday' } })
  t.equal(badIfMatch.statusCode, 400)
})

test('Prefer return=minimal and return=OperationOutcome', async (t) => {
  const { app } = await buildTestApp(t)
  const minimal = await app.inject({ method: 'POST', url: `${FHIR}/ServiceRequest`, headers: { ...FHIR_JSON, prefer: 'return=minimal' }, payload: referral() })
  t.equal(minimal.statusCode, 201)
  t.equal(minimal.body, '')
  t.ok(minimal.headers.location)
  const outcome = await app.inject({ method: 'POST', url: `${FHIR}/ServiceRequest`, headers: { ...FHIR_JSON, prefer: 'return=OperationOutcome' }, payload: referral() })
  t.equal(outcome.statusCode, 201)
  t.equal(outcome.json().resourceType, 'OperationOutcome')
  t.equal(outcome.json().issue[0].severity, 'information')
})

test('plain application/json and _format=json are accepted', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'POST', url: `${FHIR}/ServiceRequest?_format=json`, headers: { 'content-type': 'application/json', accept: 'application/json' }, payload: referral() })
  t.equal(res.statusCode, 201)
})

test('type-level history pages newest first with an opaque next link', async (t) => {
  const { app } = await buildTestApp(t)
  const ids = await createReferrals(app, 5)
  const seen: string[] = []
  let url: string | undefined = `${FHIR}/ServiceRequest/_history?_count=2`
  let pages = 0
  while (url !== undefined) {
    const page: any = (await app.inject({ method: 'GET', url })).json()
    t.equal(page.total, 5)
    seen.push(...page.entry.map((e: any) => e.resource.id))
    // A write between pages must not shift what the next page holds.
    if (pages === 0) await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: { resourceType: 'Patient' } })
    const next = page.link.find((l: any) => l.relation === 'next')?.url as string | undefined
    url = next?.replace('http://localhost:8080', '')
    pages++
  }
  t.equal(pages, 3)
  t.same(seen, [...ids].reverse(), 'every version exactly once, newest first')
  const badCursor = await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest/_history?_cursor=nonsense` })
  t.equal(badCursor.statusCode, 400)
  const unknown = await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest/nope/_history` })
  t.equal(unknown.statusCode, 404)
})

/** Creates `count` referrals one after another; their ids in the order created. */
async function createReferrals (app: TestApp['app'], count: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const created = await app.inject({ method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON, payload: referral() })
    ids.push(created.json().id)
  }
  return ids
}
