/**
 * A sorted search whose conditions are all index sets is ordered and cut from the matching ids
 * before any resource row is read (src/store/search-sql.ts, "ids first"). Its pages must be the
 * same as a plain sort would give: every match once, in key order (missing values last, ties by
 * id), forwards and back, deleted resources never, other owners' resources never.
 */
import { test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, FHIR, FHIR_JSON } from '../helper.js'

async function post (app: FastifyInstance, resource: Record<string, unknown>): Promise<any> {
  const res = await app.inject({ method: 'POST', url: `${FHIR}/${resource.resourceType as string}`, headers: FHIR_JSON, payload: resource })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json()
}

async function walk (app: FastifyInstance, first: string, relation: 'next' | 'previous'): Promise<{ ids: string[], pages: any[] }> {
  const pages: any[] = []
  let url: string | undefined = first
  while (url !== undefined) {
    const res: { statusCode: number, body: string, json: () => any } = await app.inject({ method: 'GET', url: `${FHIR}/${url}` })
    if (res.statusCode !== 200) throw new Error(res.body)
    const page: any = res.json()
    pages.push(page)
    url = page.link.find((l: any) => l.relation === relation)?.url?.slice(`http://localhost:8080${FHIR}/`.length)
  }
  const ids = pages.flatMap(p => (p.entry ?? []).filter((e: any) => e.search.mode === 'match').map((e: any) => e.resource.id))
  return { ids, pages }
}

const task = (owner: string, authoredOn: string | undefined, status = 'requested'): Record<string, unknown> => ({
  resourceType: 'Task',
  status,
  intent: 'order',
  owner: { reference: owner },
  ...(authoredOn === undefined ? {} : { authoredOn })
})

test('a filtered sorted search pages like a plain sort: in order, each once, forwards and back', async (t) => {
  const { app } = await buildTestApp(t)
  const dates = ['2026-03-01T10:00:00Z', '2026-01-15T09:00:00Z', '2026-03-01T10:00:00Z', undefined, '2025-12-31T23:59:59Z',
    '2026-02-10T08:00:00Z', undefined, '2026-01-15T09:00:00Z', '2026-04-01T00:00:00Z']
  const mine: any[] = []
  for (const date of dates) mine.push(await post(app, task('Organization/mine', date)))
  for (const date of dates.slice(0, 3)) await post(app, task('Organization/other', date))
  await post(app, task('Organization/mine', '2026-02-01T00:00:00Z', 'completed')) // other status: not a match
  const removed = await post(app, task('Organization/mine', '2026-01-01T00:00:00Z'))
  t.ok([200, 204].includes((await app.inject({ method: 'DELETE', url: `${FHIR}/Task/${removed.id as string}` })).statusCode), 'the deleted Task is gone')

  const byDate = (descending: boolean) => (a: any, b: any): number => {
    if (a.authoredOn === undefined || b.authoredOn === undefined) return Number(a.authoredOn === undefined) - Number(b.authoredOn === undefined) || a.id.localeCompare(b.id)
    const order = Date.parse(a.authoredOn) - Date.parse(b.authoredOn)
    return (descending ? -order : order) || a.id.localeCompare(b.id)
  }
  for (const descending of [false, true]) {
    const expected = [...mine].sort(byDate(descending)).map(r => r.id)
    const query = `Task?owner=Organization/mine&status=requested,accepted&_sort=${descending ? '-' : ''}authored-on&_count=2&_total=accurate`
    const forwards = await walk(app, query, 'next')
    t.same(forwards.ids, expected, `${descending ? 'descending' : 'ascending'}: every match once, in order, missing dates last`)
    t.equal(forwards.pages[0].total, mine.length, 'the total counts the same matches')
    const lastPage = forwards.pages.at(-1)
    const back = await walk(app, lastPage.link.find((l: any) => l.relation === 'previous').url.slice(`http://localhost:8080${FHIR}/`.length), 'previous')
    const lastIds = (lastPage.entry ?? []).map((e: any) => e.resource.id)
    t.same(back.pages.flatMap(p => p.entry.map((e: any) => e.resource.id)).length + lastIds.length, expected.length, 'previous links lead back over every other match')
    const backwardsInPageOrder = back.pages.slice().reverse().flatMap(p => p.entry.map((e: any) => e.resource.id))
    t.same([...backwardsInPageOrder, ...lastIds], expected, 'walking back gives the same pages in the same order')
  }
})
