/**
 * Counts and nested conditions: a search whose conditions are all index-row tests is counted over
 * the index tables alone (no resource rows), and conditions nest inside each other's index rows.
 * Index rows must therefore describe exactly the live, current versions: these tests update,
 * delete and write concurrently, then check counts and pages against what a read says.
 */
import { test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, FHIR, FHIR_JSON, patient, referral } from '../helper.js'

const SP = 'http://snomed.info/sct|871731000000106'

async function post (app: FastifyInstance, resource: Record<string, unknown>): Promise<any> {
  const res = await app.inject({ method: 'POST', url: `${FHIR}/${resource.resourceType as string}`, headers: FHIR_JSON, payload: resource })
  if (res.statusCode !== 201) throw new Error(`create failed ${res.statusCode}: ${res.body}`)
  return res.json()
}

async function put (app: FastifyInstance, resource: Record<string, any>): Promise<void> {
  const res = await app.inject({ method: 'PUT', url: `${FHIR}/${resource.resourceType as string}/${resource.id as string}`, headers: FHIR_JSON, payload: resource })
  if (res.statusCode !== 200) throw new Error(`update failed ${res.statusCode}: ${res.body}`)
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

function ids (bundle: any): string[] {
  return (bundle.entry ?? []).filter((e: any) => e.search?.mode === 'match').map((e: any) => e.resource.id).sort()
}

async function count (app: FastifyInstance, query: string): Promise<number> {
  return (await search(app, `${query}&_summary=count`)).total
}

test('counts and pages see only live, current versions after updates and deletes', async (t) => {
  const { app } = await buildTestApp(t)
  const alice = await post(app, patient('9000000009', 'Ali'))
  const bob = await post(app, patient('9434765919', 'Brown'))
  const referrals: any[] = []
  for (let i = 0; i < 6; i++) {
    referrals.push(await post(app, referral({ subject: { reference: `Patient/${i % 2 === 0 ? alice.id as string : bob.id as string}` }, status: i < 4 ? 'active' : 'completed' })))
  }
  t.equal(await count(app, `ServiceRequest?code=${SP}&status=active`), 4, 'two token conditions, counted over the index')
  t.equal(await count(app, `ServiceRequest?code=${SP}`), 6)

  // An update moves a referral out of the count; another into it; a delete takes one away.
  await put(app, { ...referrals[0], status: 'completed' })
  await put(app, { ...referrals[4], status: 'active' })
  await remove(app, 'ServiceRequest', referrals[1].id)
  const active = [referrals[2], referrals[3], referrals[4]].map(r => r.id).sort()
  t.equal(await count(app, `ServiceRequest?code=${SP}&status=active`), 3, 'the count follows updates and deletes')
  t.equal((await search(app, `ServiceRequest?code=${SP}&status=active&_total=accurate`)).total, 3, '_total=accurate agrees')
  t.same(ids(await search(app, `ServiceRequest?code=${SP}&status=active`)), active, 'and so does the page')
  t.equal(await count(app, `ServiceRequest?status=active&subject:Patient.identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009`), 2, 'a chain nested with a token')

  // A chain whose target is deleted no longer matches; a _has set can name a deleted target.
  t.equal(await count(app, 'ServiceRequest?subject.name=brown'), 2)
  await remove(app, 'Patient', bob.id)
  t.equal(await count(app, 'ServiceRequest?subject.name=brown'), 0, 'chain to a deleted patient')
  t.same(ids(await search(app, 'Patient?_has:ServiceRequest:subject:status=active')), [alice.id], '_has leaves out the deleted patient')
  t.equal(await count(app, 'Patient?_has:ServiceRequest:subject:status=active'), 1, 'and so does its count')
  t.equal(await count(app, 'Patient?_has:ServiceRequest:subject:status=active&family=ali'), 1, '_has nested with a string condition')
  t.equal(await count(app, `ServiceRequest?code=${SP}&status:not=active`), 2, 'a negated condition next to a set')
  t.equal(await count(app, `ServiceRequest?code=${SP}&status=active&_id=${referrals[2].id as string}`), 1, '_id next to sets')
})

test('counts stay exact while writes and deletes run concurrently', async (t) => {
  const { app } = await buildTestApp(t)
  const created: any[] = []
  for (let i = 0; i < 12; i++) created.push(await post(app, referral({ status: 'active' })))
  const counts: number[] = []
  await Promise.all([
    ...created.slice(0, 4).map(async r => { await remove(app, 'ServiceRequest', r.id) }),
    ...created.slice(4, 8).map(async r => { await put(app, { ...r, status: 'on-hold' }) }),
    ...Array.from({ length: 4 }, async () => { await post(app, referral({ status: 'active' })) }),
    ...Array.from({ length: 6 }, async () => { counts.push(await count(app, `ServiceRequest?code=${SP}&status=active`)) })
  ])
  t.ok(counts.every(n => n >= 4 && n <= 16), `every count during the writes is a state the writes pass through (${counts.join(', ')})`)
  const all = await search(app, 'ServiceRequest?_count=100')
  const expected = all.entry.filter((e: any) => e.resource.status === 'active').length
  t.equal(expected, 8)
  t.equal(await count(app, `ServiceRequest?code=${SP}&status=active`), expected, 'the count after the writes matches the resources read back')
})

test('paging links do not carry _total: only the page that asked is counted', async (t) => {
  const { app } = await buildTestApp(t)
  for (let i = 0; i < 5; i++) await post(app, referral())
  const first = await search(app, 'ServiceRequest?status=active&_count=2&_total=accurate')
  t.equal(first.total, 5)
  const next = first.link.find((l: any) => l.relation === 'next').url as string
  t.notMatch(next, /_total/, 'the next link leaves _total out')
  t.match(first.link.find((l: any) => l.relation === 'self').url, /_total=accurate/, 'self keeps it')
  const second = await search(app, next.slice(`http://localhost:8080${FHIR}/`.length))
  t.equal(second.total, undefined, 'a later page is not recounted')
  t.equal(ids(second).length, 2)
  const previous = second.link.find((l: any) => l.relation === 'previous').url as string
  t.notMatch(previous, /_total/, 'neither does previous')
})
