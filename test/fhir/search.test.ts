/** FHIR search: https://hl7.org/fhir/R4/search.html — chains, _has, includes, sorting, paging. */
import { test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildTestApp, FHIR, FHIR_JSON, patient, referral, task, temporaryDirectory } from '../helper.js'

const NHS = 'https://fhir.nhs.uk/Id/nhs-number'

async function post (app: FastifyInstance, resource: Record<string, unknown>): Promise<any> {
  const res = await app.inject({ method: 'POST', url: `${FHIR}/${resource.resourceType as string}`, headers: FHIR_JSON, payload: resource })
  if (res.statusCode !== 201) throw new Error(`create failed ${res.statusCode}: ${res.body}`)
  return res.json()
}

async function search (app: FastifyInstance, query: string): Promise<any> {
  const res = await app.inject({ method: 'GET', url: `${FHIR}/${query}` })
  if (res.statusCode !== 200) throw new Error(`search ${query} answered ${res.statusCode}: ${res.body}`)
  return res.json()
}

function ids (bundle: any, mode = 'match'): string[] {
  return (bundle.entry ?? []).filter((e: any) => e.search?.mode === mode).map((e: any) => e.resource.id).sort()
}

test('the referral journey: chains, _has, _include:iterate and _revinclude', async (t) => {
  const { app } = await buildTestApp(t)
  const org = await post(app, { resourceType: 'Organization', name: 'Leeds Befriending', identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'X1A2B' }] })
  const otherOrg = await post(app, { resourceType: 'Organization', name: 'Walking Group' })
  const alice = await post(app, patient('9000000009', 'Åberg'))
  const bob = await post(app, patient('9434765919', 'Brown'))
  const aliceReferral = await post(app, referral({ subject: { reference: `Patient/${alice.id}` } }))
  const bobReferral = await post(app, referral({ subject: { reference: `Patient/${bob.id}` } }))
  const aliceTask = await post(app, task({ focus: { reference: `ServiceRequest/${aliceReferral.id}` }, for: { reference: `Patient/${alice.id}` }, owner: { reference: `Organization/${org.id}` } }))
  const bobTask = await post(app, task({ focus: { reference: `ServiceRequest/${bobReferral.id}` }, for: { reference: `Patient/${bob.id}` }, owner: { reference: `Organization/${otherOrg.id}` } }))

  t.same(ids(await search(app, `ServiceRequest?subject:Patient.identifier=${NHS}|9000000009`)), [aliceReferral.id], 'one-level chain')
  t.same(ids(await search(app, `Task?focus:ServiceRequest.subject:Patient.identifier=${NHS}|9434765919`)), [bobTask.id], 'two-level chain')
  t.same(ids(await search(app, 'ServiceRequest?subject.name=aberg')), [aliceReferral.id], 'chain without a type modifier, accent-insensitive')
  t.same(ids(await search(app, `Patient?_has:Task:patient:owner=Organization/${org.id}`)), [alice.id], '_has reverse chain')
  t.same(ids(await search(app, `Task?owner=http://localhost:8080/fhir/Organization/${org.id}`)), [aliceTask.id], 'absolute URL under our base')
  t.same(ids(await search(app, `Task?owner:Organization=${org.id}`)), [aliceTask.id], 'type modifier')
  t.same(ids(await search(app, `Task?patient=${alice.id}`)), [aliceTask.id], 'bare id with a single target type')
  t.same(ids(await search(app, `Patient?_has:Task:patient:owner=${otherOrg.id}`)), [bob.id], '_has with a bare id')
  t.same(ids(await search(app, 'Patient?_has:Task:patient:owner.name=walking')), [bob.id], '_has with a chained inner parameter')

  const withIncludes = await search(app, `Task?owner=Organization/${org.id}&_include=Task:focus&_include:iterate=ServiceRequest:subject&_revinclude=Task:part-of`)
  t.same(ids(withIncludes), [aliceTask.id])
  t.same(ids(withIncludes, 'include'), [aliceReferral.id, alice.id].sort(), 'Task → ServiceRequest → Patient in one request')

  const wildcard = await search(app, `Task?_id=${bobTask.id}&_include=*`)
  t.same(ids(wildcard, 'include'), [bobReferral.id, bob.id, otherOrg.id].sort(), '_include=* follows every reference')

  const rev = await search(app, `ServiceRequest?_id=${aliceReferral.id},${bobReferral.id}&_revinclude=Task:focus`)
  t.same(ids(rev, 'include'), [aliceTask.id, bobTask.id].sort())

  const deleted = await app.inject({ method: 'DELETE', url: `${FHIR}/Task/${bobTask.id}` })
  t.equal(deleted.statusCode, 204)
  t.same(ids(await search(app, `Patient?_has:Task:patient:owner=${otherOrg.id}`)), [], 'deleted resources leave the index')
  t.same(ids(await search(app, 'Task')), [aliceTask.id])
})

test('_sort with several keys pages without repeats or gaps, forwards and back, while writes go on', async (t) => {
  const { app } = await buildTestApp(t)
  const families = ['Young', 'Adams', 'Young', 'Baker', 'Adams', 'Zhou', 'Baker', 'Young', 'Clark']
  // Valid NHS numbers (Modulus 11), one per patient.
  const nhsNumbers = ['9000000009', '9000000017', '9000000033', '9000000041', '9000000068', '9000000076', '9000000084', '9000000092', '9000000106']
  const created: any[] = []
  for (const [i, family] of families.entries()) {
    created.push(await post(app, { ...patient(nhsNumbers[i] as string, family), birthDate: `19${50 + (i % 3)}-01-01` }))
  }
  await post(app, { resourceType: 'Patient', birthDate: '1960-05-05' }) // no name: sorts last
  const expected = [...created].sort((a, b) => a.name[0].family.localeCompare(b.name[0].family) || b.birthDate.localeCompare(a.birthDate) || a.id.localeCompare(b.id)).map(p => p.id)

  const seen: string[] = []
  let url: string | undefined = 'Patient?_sort=family,-birthdate&_count=3&_total=accurate'
  const pages: any[] = []
  while (url !== undefined) {
    const page = await search(app, url)
    pages.push(page)
    seen.push(...page.entry.filter((e: any) => e.search.mode === 'match').map((e: any) => e.resource.id))
    if (pages.length === 1) await post(app, patient('9000000025', 'Aaron')) // sorts before the cursor: not seen on later pages
    const next = page.link.find((l: any) => l.relation === 'next')?.url as string | undefined
    url = next?.slice(`http://localhost:8080${FHIR}/`.length)
  }
  t.same(seen.slice(0, -1), expected, 'every named patient exactly once, in order')
  t.equal(seen.length, expected.length + 1, 'the unnamed patient comes last')
  t.equal(pages[0].total, 10)
  t.notOk(pages[0].link.some((l: any) => l.relation === 'previous'), 'the first page has no previous link')

  const previous = pages[2].link.find((l: any) => l.relation === 'previous').url.slice(`http://localhost:8080${FHIR}/`.length)
  const back = await search(app, previous)
  t.same(back.entry.map((e: any) => e.resource.id), pages[1].entry.map((e: any) => e.resource.id), 'previous returns the page before')

  const other = await app.inject({ method: 'GET', url: `${FHIR}/Patient?_sort=-family&_cursor=${new URL(pages[0].link.find((l: any) => l.relation === 'next').url).searchParams.get('_cursor') as string}` })
  t.equal(other.statusCode, 400, 'a cursor cannot be replayed against another search')
})

test('without _sort, pages come in id order and hold their place while resources are updated and created', async (t) => {
  const { app } = await buildTestApp(t)
  const nhsNumbers = ['9000000009', '9000000017', '9000000033', '9000000041', '9000000068']
  const walkers: any[] = []
  for (const nhs of nhsNumbers) walkers.push(await post(app, patient(nhs, 'Walker')))
  // A client-chosen id sorts among the server's own by its text.
  const put = await app.inject({ method: 'PUT', url: `${FHIR}/Patient/0-client-chosen`, headers: FHIR_JSON, payload: { ...patient('9000000076', 'Walker'), id: '0-client-chosen' } })
  t.equal(put.statusCode, 201)
  await post(app, patient('9000000084', 'Other'))
  const expected = [...walkers.map(p => p.id), '0-client-chosen'].sort()

  /** Every page of `query`, two at a time; `afterFirstPage` runs once, between the first two pages. */
  const walk = async (query: string, afterFirstPage: (first: any) => Promise<void>): Promise<string[]> => {
    const seen: string[] = []
    let url: string | undefined = `${query}&_count=2`
    let turn = 0
    while (url !== undefined) {
      const page = await search(app, url)
      seen.push(...page.entry.map((e: any) => e.resource.id))
      if (turn++ === 0) await afterFirstPage(page.entry[0].resource)
      const next = page.link.find((l: any) => l.relation === 'next')?.url as string | undefined
      url = next?.slice(`http://localhost:8080${FHIR}/`.length)
    }
    return seen
  }
  // In _lastUpdated order the first one would move behind the cursor and come round again.
  const update = async (resource: any): Promise<void> => {
    const res = await app.inject({ method: 'PUT', url: `${FHIR}/${resource.resourceType as string}/${resource.id as string}`, headers: FHIR_JSON, payload: { ...resource, language: 'en-GB' } })
    t.equal(res.statusCode, 200)
  }
  // An index set the planner drives, then a condition on the resource row itself.
  for (const query of ['Patient?family=walker', 'Patient?family=walker&identifier:not=https://fhir.nhs.uk/Id/nhs-number|9999999999']) {
    t.same(await walk(query, update), expected, `${query}: each match once, in id order`)
  }
  // A pair index's set, ordered and cut before any resource row is read.
  const tasks: string[] = []
  for (let i = 0; i < 5; i++) tasks.push((await post(app, { resourceType: 'Task', status: 'requested', intent: 'order', owner: { reference: 'Organization/walk-org' } })).id)
  t.same(await walk('Task?owner=Organization/walk-org&status=requested', update), tasks.sort(), 'a pair index set: each match once, in id order')

  // A search by _lastUpdated is a feed of changes: it comes in the order they were made.
  const byChange = (await search(app, 'Patient?family=walker&_count=50')).entry.map((e: any) => e.resource)
    .sort((a: any, b: any) => a.meta.lastUpdated === b.meta.lastUpdated ? (a.id < b.id ? -1 : 1) : (a.meta.lastUpdated < b.meta.lastUpdated ? -1 : 1))
    .map((r: any) => r.id as string)
  t.notSame(byChange, expected, 'the updates above put the change order apart from the id order')
  t.same(await walk('Patient?family=walker&_lastUpdated=gt2000-01-01', async () => {}), byChange, 'a search by _lastUpdated: in the order of the changes')
  t.same((await search(app, 'Patient?_count=50')).entry.map((e: any) => e.resource.id), [...expected, ...(await search(app, 'Patient?family=other')).entry.map((e: any) => e.resource.id)].sort(), 'no condition: id order too')

  // Ids are unique within a type only: a page boundary between Organization/shared-1 and
  // Patient/shared-1 must not lose either.
  for (const [type, body] of [['Patient', patient('9000000092', 'Shared')], ['Organization', { resourceType: 'Organization', name: 'Shared' }]] as const) {
    for (const id of ['shared-1', 'shared-2']) {
      const res = await app.inject({ method: 'PUT', url: `${FHIR}/${type}/${id}`, headers: FHIR_JSON, payload: { ...body, id } })
      t.equal(res.statusCode, 201)
    }
  }
  const across: string[] = []
  let url: string | undefined = `${FHIR}?_type=Patient,Organization&_id=shared-1,shared-2&_count=1`
  while (url !== undefined) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 200)
    const page = res.json()
    across.push(...page.entry.map((e: any) => `${e.resource.resourceType as string}/${e.resource.id as string}`))
    const next = page.link.find((l: any) => l.relation === 'next')?.url as string | undefined
    url = next?.slice(next.indexOf(FHIR))
  }
  t.same(across, ['Organization/shared-1', 'Organization/shared-2', 'Patient/shared-1', 'Patient/shared-2'], 'several types: by type, then id')
})

test('_total, _summary, _elements, _count=0 and lenient handling', async (t) => {
  const { app } = await buildTestApp(t)
  for (let i = 0; i < 4; i++) await post(app, referral({ note: [{ text: 'free text' }] }))
  const count = await search(app, 'ServiceRequest?_summary=count')
  t.equal(count.total, 4)
  t.same(count.entry, [])
  const none = await search(app, 'ServiceRequest?_total=none')
  t.equal(none.total, undefined)
  t.equal(none.entry.length, 4)
  const estimate = await search(app, 'ServiceRequest?_total=estimate')
  t.type(estimate.total, 'number')
  const summary = await search(app, 'ServiceRequest?_summary=true')
  const first = summary.entry[0].resource
  t.notOk(first.note, 'note is not a summary element')
  t.ok(first.status, 'status is')
  t.ok(first.meta.tag.some((tag: any) => tag.code === 'SUBSETTED'))
  const elements = await search(app, 'ServiceRequest?_elements=authoredOn')
  t.same(Object.keys(elements.entry[0].resource).sort(), ['authoredOn', 'id', 'intent', 'meta', 'resourceType', 'status', 'subject'], 'asked-for and mandatory elements only')
  const zero = await search(app, 'ServiceRequest?_count=0')
  t.equal(zero.total, 4)
  t.same(zero.entry, [])

  const strict = await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest?flavour=mint` })
  t.equal(strict.statusCode, 400)
  t.match(strict.json().issue[0].details.text, /flavour/)
  t.same(strict.json().issue[0].expression, ['flavour'])
  const lenient = await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest?flavour=mint&status=active`, headers: { prefer: 'handling=lenient' } })
  t.equal(lenient.statusCode, 200)
  const outcome = lenient.json().entry.find((e: any) => e.search.mode === 'outcome')
  t.equal(outcome.resource.resourceType, 'OperationOutcome')
  t.same(outcome.resource.issue[0].expression, ['flavour'])
  t.equal(lenient.json().entry.filter((e: any) => e.search.mode === 'match').length, 4)
})

test('malformed values answer 400 naming the parameter', async (t) => {
  const { app } = await buildTestApp(t)
  const cases: Array<[string, string]> = [
    ['Patient?birthdate=yesterday', 'birthdate'],
    ['Patient?birthdate=xx2020', 'birthdate'],
    ['Observation?value-quantity=lots', 'value-quantity'],
    ['ServiceRequest?subject=not a reference', 'subject'],
    ['ServiceRequest?subject:Spaceship=1', 'subject:Spaceship'],
    ['Patient?name:sounds-like=smith', 'name:sounds-like'],
    ['Patient?_sort=flavour', '_sort'],
    ['Patient?_count=lots', '_count'],
    ['Patient?_include=Patient:name', '_include'],
    ['Patient?_has:Task:flavour:owner=x', '_has:Task:flavour:owner'],
    ['Patient?general-practitioner.flavour=x', 'general-practitioner.flavour'],
    ['Patient?identifier:of-type=onlyone', 'identifier:of-type'],
    ['Patient?_summary=maybe', '_summary'],
    ['Patient?gender:in=http://example.org/ValueSet/unknown', 'gender:in']
  ]
  for (const [query, name] of cases) {
    const res = await app.inject({ method: 'GET', url: `${FHIR}/${query}` })
    t.equal(res.statusCode, 400, query)
    t.equal(res.json().resourceType, 'OperationOutcome', query)
    t.ok(JSON.stringify(res.json().issue).includes(name), `${query} names ${name}`)
  }
})

test('POST _search, system-level _type, :in against a held ValueSet', async (t) => {
  const { app } = await buildTestApp(t)
  const female = await post(app, { ...patient('9000000009'), gender: 'female' })
  const male = await post(app, { ...patient('9434765919'), gender: 'male' })
  const org = await post(app, { resourceType: 'Organization', name: 'Practice', meta: { tag: [{ system: 'https://example.org/tags', code: 'pilot' }] } })
  await post(app, { ...patient('9990000018'), meta: { tag: [{ system: 'https://example.org/tags', code: 'pilot' }] } })

  const posted = await app.inject({ method: 'POST', url: `${FHIR}/Patient/_search`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'gender=female' })
  t.equal(posted.statusCode, 200)
  t.same(ids(posted.json()), [female.id])

  const system = await search(app, '?_type=Organization,Patient&_tag=https://example.org/tags|pilot')
  t.equal(system.entry.length, 2)
  t.ok(system.entry.some((e: any) => e.resource.id === org.id))

  await post(app, { resourceType: 'ValueSet', status: 'active', url: 'https://example.org/ValueSet/men', compose: { include: [{ system: 'http://hl7.org/fhir/administrative-gender', concept: [{ code: 'male' }] }] } })
  t.same(ids(await search(app, 'Patient?gender:in=https://example.org/ValueSet/men')), [male.id])
  t.same(ids(await search(app, 'Patient?gender:not-in=https://example.org/ValueSet/men&gender:missing=false')), [female.id])
})

test('SearchParameters under profiles/ are searchable without code changes', async (t) => {
  const dir = await temporaryDirectory(t, 'profiles-')
  await writeFile(join(dir, 'SearchParameter-task-business-status.json'), JSON.stringify({
    resourceType: 'SearchParameter',
    url: 'https://example.org/SearchParameter/task-business-status',
    name: 'business-status',
    status: 'active',
    description: 'Journey state of a referral task',
    code: 'business-status',
    base: ['Task'],
    type: 'token',
    expression: 'Task.businessStatus'
  }))
  // No mappings: they need the ValueSets of ./profiles, which this profiles folder does not hold.
  const { app } = await buildTestApp(t, { PROFILES_DIR: dir, MAPPINGS_DIR: join(dir, 'no-mappings') })
  const contacted = await post(app, task({ businessStatus: { coding: [{ system: 'https://example.org/journey', code: 'contacted' }] } }))
  await post(app, task({ businessStatus: { coding: [{ system: 'https://example.org/journey', code: 'attending' }] } }))
  t.same(ids(await search(app, 'Task?business-status=https://example.org/journey|contacted')), [contacted.id])
  const metadata = (await app.inject({ method: 'GET', url: `${FHIR}/metadata` })).json()
  const taskCapability = metadata.rest[0].resource.find((r: any) => r.type === 'Task')
  t.ok(taskCapability.searchParam.some((p: any) => p.name === 'business-status'), 'the CapabilityStatement lists it')
})

test('plain code elements are searchable with the system their binding implies', async (t) => {
  const { app } = await buildTestApp(t)
  const female = await post(app, { ...patient('9000000009'), gender: 'female' })
  await post(app, { ...patient('9434765919'), gender: 'male' })
  t.same(ids(await search(app, 'Patient?gender=http://hl7.org/fhir/administrative-gender|female')), [female.id])
  t.same(ids(await search(app, 'Patient?gender=female')), [female.id])
  t.same(ids(await search(app, 'Patient?gender=http://example.org/other|female')), [])
})
