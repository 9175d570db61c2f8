/**
 * Searches that name a Task's owner and its status are answered from the pair index
 * (src/store/search-pair.ts). They must return exactly what the two conditions return one by
 * one, intersected: for owners of each type, the same id under two types, owners written as
 * absolute URLs (ours and another server's), no owner, several values, system-qualified and
 * negated statuses, and after updates and deletes.
 */
import { test, type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, FHIR, FHIR_JSON, searchIds } from '../helper.js'

const OWN_BASE = 'http://localhost:8080/fhir'
const ELSEWHERE = 'https://elsewhere.example/fhir'
const TASK_STATUS = 'http://hl7.org/fhir/task-status'

function task (id: string, status: string, owner: string | undefined, authoredOn: string): Record<string, unknown> {
  return { resourceType: 'Task', id, status, intent: 'order', authoredOn, ...(owner === undefined ? {} : { owner: { reference: owner } }) }
}

const TASKS = [
  task('a-requested-1', 'requested', 'Organization/org-a', '2025-05-01'),
  task('a-requested-2', 'requested', 'Organization/org-a', '2025-03-01'),
  task('a-accepted', 'accepted', 'Organization/org-a', '2025-04-01'),
  task('a-in-progress', 'in-progress', 'Organization/org-a', '2025-02-01'),
  task('a-completed', 'completed', 'Organization/org-a', '2025-01-01'),
  task('a-own-url', 'requested', `${OWN_BASE}/Organization/org-a`, '2025-06-01'),
  task('a-elsewhere', 'requested', `${ELSEWHERE}/Organization/org-a`, '2025-07-01'),
  task('a-practitioner', 'requested', 'Practitioner/org-a', '2025-08-01'),
  task('b-requested', 'requested', 'Organization/org-b', '2025-09-01'),
  task('b-cancelled', 'cancelled', 'Organization/org-b', '2025-10-01'),
  task('no-owner', 'requested', undefined, '2025-11-01')
]

/** Searches a pair answers (owner + status) and some it must leave to the ordinary tables. */
const QUERIES: ReadonlyArray<readonly string[]> = [
  ['owner=Organization/org-a', 'status=requested,accepted,in-progress'],
  ['owner=Organization/org-a', 'status=requested'],
  ['owner:Organization=org-a', 'status=accepted'],
  ['owner=Organization/org-a,Practitioner/org-a', 'status=requested'],
  ['owner=Organization/org-a,Organization/org-b', 'status=requested,cancelled'],
  [`owner=${OWN_BASE}/Organization/org-a`, 'status=requested'],
  [`owner=${ELSEWHERE}/Organization/org-a`, 'status=requested'],
  ['owner=Organization/org-a', `status=${TASK_STATUS}|requested`],
  ['owner=Organization/org-a', 'status=|requested'],
  ['owner=Organization/org-a', 'status:not=requested'],
  ['owner=Organization/org-a', 'status=requested', 'status=accepted'],
  ['owner=Organization/org-a', 'owner=Organization/org-b', 'status=requested'],
  ['owner=Organization/org-missing', 'status=requested']
]

async function put (app: FastifyInstance, resource: Record<string, unknown>): Promise<void> {
  const res = await app.inject({ method: 'PUT', url: `${FHIR}/Task/${resource.id as string}`, headers: FHIR_JSON, payload: resource })
  if (res.statusCode !== 200 && res.statusCode !== 201) throw new Error(`update failed ${res.statusCode}: ${res.body}`)
}

async function ids (app: FastifyInstance, params: readonly string[]): Promise<string[]> {
  return (await searchIds(app, `Task?${params.join('&')}`, 2)).sort()
}

/** What the conditions match one at a time (no pair fits a single condition), intersected. */
async function expected (app: FastifyInstance, params: readonly string[]): Promise<string[]> {
  const each = await Promise.all(params.map(async p => new Set(await ids(app, [p]))))
  return [...(each[0] ?? new Set<string>())].filter(id => each.every(set => set.has(id))).sort()
}

async function checkAll (t: Test, app: FastifyInstance): Promise<void> {
  for (const params of QUERIES) {
    const want = await expected(app, params)
    t.same(await ids(app, params), want, params.join('&'))
    const counted = await app.inject({ method: 'GET', url: `${FHIR}/Task?${params.join('&')}&_summary=count` })
    t.equal(counted.json().total, want.length, `${params.join('&')} counted`)
  }
}

test('owner + status searches return exactly the intersection of their conditions', async (t) => {
  const { app } = await buildTestApp(t)
  for (const resource of TASKS) await put(app, resource)

  t.same(await ids(app, QUERIES[0] as string[]), ['a-accepted', 'a-in-progress', 'a-own-url', 'a-requested-1', 'a-requested-2'],
    "a provider's open Tasks: by relative reference and by this server's own URL, not another server's, not a Practitioner with the same id")
  t.same(await ids(app, QUERIES[3] as string[]), ['a-own-url', 'a-practitioner', 'a-requested-1', 'a-requested-2'], 'several owner types')
  t.same(await ids(app, QUERIES[6] as string[]), ['a-elsewhere'], "another server's owner is found by its URL")
  await checkAll(t, app)

  await t.test('sorted and paged', async (t) => {
    const res = await app.inject({ method: 'GET', url: `${FHIR}/Task?${(QUERIES[0] as string[]).join('&')}&_sort=authored-on&_count=2` })
    const body = res.json()
    t.same(body.entry.map((e: any) => e.resource.id), ['a-in-progress', 'a-requested-2'], 'oldest first')
    t.ok(body.link.some((l: any) => l.relation === 'next'), 'with a next page')
  })

  await t.test('after updates and deletes', async (t) => {
    await put(app, { ...TASKS[0], status: 'accepted' })
    await put(app, { ...TASKS[2], owner: { reference: 'Organization/org-b' } })
    await put(app, { ...TASKS[9], owner: { reference: 'Organization/org-a' } })
    const del = await app.inject({ method: 'DELETE', url: `${FHIR}/Task/a-requested-2` })
    t.equal(del.statusCode, 204)
    t.same(await ids(app, QUERIES[0] as string[]), ['a-in-progress', 'a-own-url', 'a-requested-1'],
      'a changed status, a moved owner and a deleted Task follow their current version')
    t.same(await ids(app, ['owner=Organization/org-a', 'status=cancelled']), ['b-cancelled'], 'a Task that moved in is found')
    await checkAll(t, app)
  })
})
