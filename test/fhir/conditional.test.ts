/** Conditional create and update: https://hl7.org/fhir/R4/http.html#ccreate and #cond-update */
import { test } from 'tap'
import { buildTestApp, FHIR, FHIR_JSON, patient, postTransaction, versionCount } from '../helper.js'

const NHS = 'https://fhir.nhs.uk/Id/nhs-number'

test('If-None-Exist: none creates, one returns it, several is 412', async (t) => {
  const { app } = await buildTestApp(t)
  const headers = { ...FHIR_JSON, 'if-none-exist': `identifier=${NHS}|9000000009` }
  const first = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers, payload: patient('9000000009') })
  t.equal(first.statusCode, 201)
  const second = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers, payload: patient('9000000009') })
  t.equal(second.statusCode, 200)
  t.equal(second.json().id, first.json().id)
  t.equal(await versionCount(app, 'Patient'), 1)

  await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: patient('9000000009') })
  const ambiguous = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers, payload: patient('9000000009') })
  t.equal(ambiguous.statusCode, 412)
  t.equal(await versionCount(app, 'Patient'), 2)

  const byValueOnly = await app.inject({ method: 'GET', url: `${FHIR}/Patient?identifier=9000000009` })
  t.equal(byValueOnly.json().entry.length, 2)
  const otherSystem = await app.inject({ method: 'GET', url: `${FHIR}/Patient?identifier=https://example.org|9000000009` })
  t.equal(otherSystem.json().entry.length, 0)
})

test('twenty identical conditional creates at once leave exactly one resource', async (t) => {
  const { app } = await buildTestApp(t)
  const headers = { ...FHIR_JSON, 'if-none-exist': `identifier=${NHS}|9434765919` }
  const responses = await Promise.all(Array.from({ length: 20 }, async () =>
    await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers, payload: patient('9434765919') })))
  const statuses = responses.map(r => r.statusCode).sort()
  t.same(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201])
  t.equal(new Set(responses.map(r => r.json().id)).size, 1, 'all answers name the same resource')
  t.equal(await versionCount(app, 'Patient'), 1)
})

test('conditional update: none creates, one updates, several is 412', async (t) => {
  const { app } = await buildTestApp(t)
  const url = `${FHIR}/Patient?identifier=${NHS}|9000000009`
  const created = await app.inject({ method: 'PUT', url, headers: FHIR_JSON, payload: patient('9000000009', 'Jones') })
  t.equal(created.statusCode, 201)
  const updated = await app.inject({ method: 'PUT', url, headers: FHIR_JSON, payload: patient('9000000009', 'Jones-Smith') })
  t.equal(updated.statusCode, 200)
  t.equal(updated.json().id, created.json().id)
  t.equal(updated.json().meta.versionId, '2')
  t.equal(updated.json().name[0].family, 'Jones-Smith')
  const wrongId = await app.inject({ method: 'PUT', url, headers: FHIR_JSON, payload: { ...patient('9000000009'), id: 'someone-else' } })
  t.equal(wrongId.statusCode, 400)

  await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: patient('9000000009') })
  const ambiguous = await app.inject({ method: 'PUT', url, headers: FHIR_JSON, payload: patient('9000000009', 'Nobody') })
  t.equal(ambiguous.statusCode, 412)
  const noSearch = await app.inject({ method: 'PUT', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: patient('9000000009') })
  t.equal(noSearch.statusCode, 405)
  t.equal(await versionCount(app, 'Patient'), 3)
})

test('an identifier lookup matches only live resources of its type with that system and value', async (t) => {
  const { app } = await buildTestApp(t)
  const create = async (body: Record<string, unknown>, ifNoneExist?: string): Promise<{ status: number, id: string }> => {
    const res = await app.inject({ method: 'POST', url: `${FHIR}/${String(body.resourceType)}`, headers: { ...FHIR_JSON, ...(ifNoneExist === undefined ? {} : { 'if-none-exist': ifNoneExist }) }, payload: body })
    return { status: res.statusCode, id: res.json().id }
  }
  // The same value under another system, and the same system|value on another type.
  await create({ ...patient('9000000009'), identifier: [{ system: 'https://example.org/mrn', value: '9000000009' }] })
  await create({ resourceType: 'Practitioner', identifier: [{ system: NHS, value: '9000000009' }] })
  const first = await create(patient('9000000009'), `identifier=${NHS}|9000000009`)
  t.equal(first.status, 201, 'neither of them matches')

  // A deleted match is no match.
  t.equal((await app.inject({ method: 'DELETE', url: `${FHIR}/Patient/${first.id}` })).statusCode, 204)
  const afterDelete = await create(patient('9000000009'), `identifier=${NHS}|9000000009`)
  t.equal(afterDelete.status, 201)
  t.not(afterDelete.id, first.id)
  const again = await create(patient('9000000009'), `identifier=${NHS}|9000000009`)
  t.same(again, { status: 200, id: afterDelete.id })

  // A transaction mixing an identifier lookup with a wider search resolves both.
  const res = await postTransaction(app, [
    { fullUrl: 'urn:uuid:5b0c7a4e-0d0a-4d8e-9f55-1f0c2a3b4c5d', resource: patient('9000000009'), request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${NHS}|9000000009` } },
    { fullUrl: 'urn:uuid:6c1d8b5f-1e1b-4e9f-8a66-2a1d3b4c5d6e', resource: patient('9434765919', 'Jones'), request: { method: 'POST', url: 'Patient', ifNoneExist: 'family=Jones&birthdate=1950-03-14' } }
  ])
  t.equal(res.statusCode, 200)
  t.same(res.json().entry.map((e: { response: { status: string } }) => e.response.status.slice(0, 3)), ['200', '201'])
  t.equal(res.json().entry[0].response.location.split('/')[1], afterDelete.id)
})
