/**
 * Each FHIR interaction leaves the right AuditEvent (IHE Basic Audit style), found afterwards
 * through GET /fhir/AuditEvent by the request's X-Request-Id: subtype, action, outcome, HTTP
 * status, the client, the resources as references, searches as parameter names only.
 */
import { test } from 'tap'
import type { AuditEvent } from '@medplum/fhirtypes'
import { buildTestApp, FHIR, FHIR_JSON, patient, referral } from '../helper.js'
import { auditsOfRequest, queryOf, referencesOf, subtypeOf } from './support.js'

const NHS = 'https://fhir.nhs.uk/Id/nhs-number'

test('every interaction is audited with its subtype, action, outcome and resources', async (t) => {
  const { app } = await buildTestApp(t)
  let n = 0
  /** Sends a request under a fresh X-Request-Id and returns the answer and that id's one AuditEvent. */
  const audited = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<{ status: number, body: any, event: AuditEvent }> => {
    const requestId = `audit-${++n}`
    const res = await app.inject({ method, url: `${FHIR}${url}`, headers: { ...(payload === undefined ? {} : FHIR_JSON), ...headers, 'x-request-id': requestId }, ...(payload === undefined ? {} : { payload: payload as object }) })
    t.equal(res.headers['x-request-id'], requestId)
    const events = await auditsOfRequest(app, requestId)
    t.equal(events.length, 1, `${method} ${url} leaves exactly one AuditEvent`)
    return { status: res.statusCode, body: res.body === '' ? undefined : res.json(), event: events[0] as AuditEvent }
  }

  const create = await audited('POST', '/Patient', patient('9000000009', 'Audited'))
  t.equal(create.status, 201)
  const id = create.body.id as string
  t.equal(subtypeOf(create.event), 'create')
  t.match(create.event, {
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' },
    subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'create' }],
    action: 'C',
    outcome: '0',
    outcomeDesc: 'HTTP 201',
    source: { type: [{ code: '4' }] }
  })
  t.same(referencesOf(create.event), [`Patient/${id}`])
  t.equal(create.event.entity?.[0]?.what?.reference, `Patient/${id}/_history/1`, 'the version written')
  t.match(create.event.entity?.[0], { type: { code: '1' }, role: { code: '1' } }, 'a Patient is the patient entity')
  const client = create.event.agent?.find(agent => agent.type?.coding?.[0]?.code === '110153')
  t.match(client, { who: { identifier: { value: 'auth-disabled' } }, altId: 'auth-disabled', network: { type: '2' } }, 'the client, with its address')
  t.ok(create.event.agent?.some(agent => agent.type?.coding?.[0]?.code === '110152'), 'the gateway as destination')
  t.ok(Date.now() - Date.parse(create.event.recorded) < 60_000, 'recorded now')

  const read = await audited('GET', `/Patient/${id}`)
  t.match(read.event, { subtype: [{ code: 'read' }], action: 'R', outcome: '0', outcomeDesc: 'HTTP 200' })
  t.same(referencesOf(read.event), [`Patient/${id}`])

  const notModified = await audited('GET', `/Patient/${id}`, undefined, { 'if-none-match': 'W/"1"' })
  t.equal(notModified.status, 304)
  t.match(notModified.event, { subtype: [{ code: 'read' }], outcome: '0', outcomeDesc: 'HTTP 304' })
  // Only an ETag exactly as this server gives it is a match; the record states what was answered.
  for (const held of ['W/"01"', '"1"', 'W/"99999999999"']) {
    const sent = await audited('GET', `/Patient/${id}`, undefined, { 'if-none-match': held })
    t.equal(sent.status, 200, held)
    t.match(sent.event, { subtype: [{ code: 'read' }], outcome: '0', outcomeDesc: 'HTTP 200' }, held)
  }

  const update = await audited('PUT', `/Patient/${id}`, { ...patient('9000000009', 'Audited'), id, gender: 'female' })
  t.equal(update.status, 200)
  t.match(update.event, { subtype: [{ code: 'update' }], action: 'U', outcome: '0' })
  t.equal(update.event.entity?.[0]?.what?.reference, `Patient/${id}/_history/2`)

  const patch = await audited('PATCH', `/Patient/${id}`, [{ op: 'replace', path: '/gender', value: 'male' }], { 'content-type': 'application/json-patch+json' })
  t.equal(patch.status, 200)
  t.match(patch.event, { subtype: [{ code: 'patch' }], action: 'U', outcome: '0' })
  t.equal(patch.event.entity?.[0]?.what?.reference, `Patient/${id}/_history/3`)

  const vread = await audited('GET', `/Patient/${id}/_history/1`)
  t.match(vread.event, { subtype: [{ code: 'vread' }], action: 'R', outcome: '0' })
  t.equal(vread.event.entity?.[0]?.what?.reference, `Patient/${id}/_history/1`)

  const history = await audited('GET', `/Patient/${id}/_history`)
  t.match(history.event, { subtype: [{ code: 'history-instance' }], action: 'R' })
  t.same(referencesOf(history.event), [`Patient/${id}`])
  const typeHistory = await audited('GET', '/Patient/_history?_count=5')
  t.match(typeHistory.event, { subtype: [{ code: 'history-type' }], entity: [{ type: { code: 'Patient' } }] })

  const search = await audited('GET', `/Patient?identifier=${NHS}|9000000009&family=Audited&_count=10&_sort=-_lastUpdated`)
  t.equal(search.body.entry.length, 1)
  t.match(search.event, { subtype: [{ code: 'search-type' }], action: 'E', outcome: '0', entity: [{ type: { code: 'Patient' }, role: { code: '24' } }] })
  t.equal(queryOf(search.event), 'identifier&family&_count=10&_sort=-_lastUpdated', 'parameter names; values only of result-shaping parameters')
  const postSearch = await audited('POST', '/Patient/_search', `identifier=${NHS}|9000000009`, { 'content-type': 'application/x-www-form-urlencoded' })
  t.equal(postSearch.status, 200)
  t.equal(queryOf(postSearch.event), 'identifier', 'a form-body search is kept the same way')
  const systemSearch = await audited('GET', '/?_type=Patient,Task&_lastUpdated=gt2020-01-01')
  t.match(systemSearch.event, { subtype: [{ code: 'search-system' }] })
  t.equal(queryOf(systemSearch.event), '_type=Patient%2CTask&_lastUpdated')

  const operation = await audited('GET', `/ValueSet/$expand?url=${encodeURIComponent('http://hl7.org/fhir/ValueSet/administrative-gender')}`)
  t.match(operation.event, { subtype: [{ code: 'operation' }], action: 'E', entity: [{ type: { code: 'ValueSet' }, detail: [{ type: 'operation', valueString: '$expand' }] }] })

  const conditionalCreate = await audited('POST', '/Patient', patient('9000000009', 'Audited'), { 'if-none-exist': `identifier=${NHS}|9000000009` })
  t.equal(conditionalCreate.status, 200, 'matched the existing patient')
  t.match(conditionalCreate.event, { subtype: [{ code: 'create' }], outcome: '0', outcomeDesc: 'HTTP 200' })
  t.same(referencesOf(conditionalCreate.event), [`Patient/${id}`])

  const conditionalUpdate = await audited('PUT', `/Patient?identifier=${NHS}|9000000009`, { ...patient('9000000009', 'Audited'), gender: 'other' })
  t.equal(conditionalUpdate.status, 200)
  t.match(conditionalUpdate.event, { subtype: [{ code: 'update' }], outcome: '0' })
  t.same(referencesOf(conditionalUpdate.event), [`Patient/${id}`])
  t.equal(queryOf(conditionalUpdate.event), 'identifier', 'the match search, by name')

  const referralCreated = await audited('POST', '/ServiceRequest', referral({ subject: { reference: `Patient/${id}` } }))
  t.equal(referralCreated.status, 201)
  const referralId = referralCreated.body.id as string
  t.match(referralCreated.event.entity?.[0], { type: { code: '2' }, role: { code: '4' } }, 'other resources are domain resources')
  const deleted = await audited('DELETE', `/ServiceRequest/${referralId}`)
  t.equal(deleted.status, 204)
  t.match(deleted.event, { subtype: [{ code: 'delete' }], action: 'D', outcome: '0', outcomeDesc: 'HTTP 204' })
  t.equal(deleted.event.entity?.[0]?.what?.reference, `ServiceRequest/${referralId}/_history/2`)

  const gone = await audited('GET', `/ServiceRequest/${referralId}`)
  t.equal(gone.status, 410)
  t.match(gone.event, { subtype: [{ code: 'read' }], outcome: '4', outcomeDesc: 'HTTP 410' })
  const missing = await audited('GET', '/Patient/no-such-patient')
  t.match(missing.event, { subtype: [{ code: 'read' }], outcome: '4', outcomeDesc: 'HTTP 404' })
  t.same(referencesOf(missing.event), ['Patient/no-such-patient'])
  const badSearch = await audited('GET', '/Patient?no-such-parameter=1')
  t.equal(badSearch.status, 400)
  t.match(badSearch.event, { subtype: [{ code: 'search-type' }], outcome: '4', outcomeDesc: 'HTTP 400' })
})

test('the AuditEvent search parameters find records by agent, entity, subtype, outcome, action and date', async (t) => {
  const { app } = await buildTestApp(t)
  const before = new Date(Date.now() - 1000).toISOString()
  const created = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: { ...FHIR_JSON, 'x-request-id': 'params-create' }, payload: patient('9000000009') })
  const id = created.json().id as string
  await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}`, headers: { 'x-request-id': 'params-read' } })
  await app.inject({ method: 'GET', url: `${FHIR}/Patient/missing`, headers: { 'x-request-id': 'params-missing' } })

  const ids = async (query: string): Promise<string[]> => {
    const res = await app.inject({ method: 'GET', url: `${FHIR}/AuditEvent?${query}&_count=200` })
    t.equal(res.statusCode, 200, query)
    return (res.json().entry ?? []).flatMap((entry: { resource: AuditEvent }) =>
      (entry.resource.entity ?? []).filter(e => e.type?.code === 'XrequestId').map(e => e.what?.identifier?.value)).sort()
  }
  t.same(await ids(`entity=Patient/${id}`), ['params-create', 'params-read'])
  t.same(await ids(`entity=Patient/${id}&subtype=http://hl7.org/fhir/restful-interaction|read`), ['params-read'])
  t.same(await ids(`entity=Patient/${id}&action=C`), ['params-create'])
  t.same(await ids('outcome=4&entity-type=Patient'), [])
  t.same(await ids('outcome=4'), ['params-missing'])
  t.same(await ids(`subtype=create&date=ge${before}`), ['params-create'])
  t.same(await ids(`subtype=create&date=lt${before}`), [])
  t.same(await ids('subtype=create&altid=auth-disabled'), ['params-create'])
  t.same(await ids('subtype=create&agent:identifier=urn:sp-gateway:client-id|auth-disabled'), ['params-create'])
  t.same(await ids('subtype=create&altid=someone-else'), [])
})
