/**
 * Under load, plain creates are group-committed and plain reads share SELECTs. Every create
 * must still get its own id, be readable at once and be found by search; every read must get
 * its own resource, or its own 404 or 410.
 */
import t from 'tap'
import { buildTestApp, FHIR, FHIR_JSON, referral } from '../helper.js'

t.test('concurrent creates each get a distinct id and are stored with their search index', async t => {
  const { app } = await buildTestApp(t)
  const count = 60
  const responses = await Promise.all(Array.from({ length: count }, async (_, i) => await app.inject({
    method: 'POST',
    url: `${FHIR}/ServiceRequest`,
    headers: FHIR_JSON,
    payload: JSON.stringify({ ...referral(), identifier: [{ system: 'https://example.org/group-commit', value: `gc-${i}` }] })
  })))
  t.same(responses.map(r => r.statusCode), Array(count).fill(201))
  const ids = responses.map(r => (JSON.parse(r.body) as { id: string }).id)
  t.equal(new Set(ids).size, count, 'every create has its own id')

  for (const [i, id] of ids.entries()) {
    const read = await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest/${id}` })
    t.equal(read.statusCode, 200)
    t.equal((JSON.parse(read.body) as { identifier: Array<{ value: string }> }).identifier[0]?.value, `gc-${i}`)
    const found = await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest?identifier=https://example.org/group-commit|gc-${i}` })
    t.same((JSON.parse(found.body) as { entry?: Array<{ resource: { id: string } }> }).entry?.map(e => e.resource.id), [id], `gc-${i} is indexed under its own id`)
  }
  const total = await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest?identifier=https://example.org/group-commit|&_summary=count` })
  t.equal((JSON.parse(total.body) as { total: number }).total, count)
})

t.test('concurrent reads each get their own resource, 404 or 410', async t => {
  const { app } = await buildTestApp(t)
  const ids: string[] = []
  for (let i = 0; i < 12; i++) {
    const created = await app.inject({ method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON, payload: JSON.stringify({ ...referral(), identifier: [{ system: 'https://example.org/reads', value: `r-${i}` }] }) })
    ids.push((JSON.parse(created.body) as { id: string }).id)
  }
  const deleted = ids.slice(0, 3)
  for (const id of deleted) t.equal((await app.inject({ method: 'DELETE', url: `${FHIR}/ServiceRequest/${id}` })).statusCode, 204)

  const requests = [...ids, ...ids, 'never-created-1', 'never-created-2'].map(id => ({ id, url: `${FHIR}/ServiceRequest/${id}` }))
  const responses = await Promise.all(requests.map(async r => await app.inject({ method: 'GET', url: r.url })))
  for (const [i, response] of responses.entries()) {
    const id = requests[i]?.id as string
    if (id.startsWith('never')) {
      t.equal(response.statusCode, 404, `${id} is not known`)
    } else if (deleted.includes(id)) {
      t.equal(response.statusCode, 410, `${id} is gone`)
    } else {
      t.equal(response.statusCode, 200)
      const body = JSON.parse(response.body) as { id: string, identifier: Array<{ value: string }> }
      t.equal(body.id, id, 'the body is the resource asked for')
      t.equal(body.identifier[0]?.value, `r-${ids.indexOf(id)}`)
      t.equal(response.headers.etag, 'W/"1"')
    }
  }
})
