/**
 * Plain creates are group-committed under load: concurrent POSTs share INSERT statements. Every
 * one must still get its own id, be readable at once and be found by search.
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
