/**
 * A write and its AuditEvent commit together: a 2xx leaves both; a refused write leaves no data
 * and no success record, only a failure AuditEvent written on its own. Transactions get one
 * AuditEvent in their own database transaction; batch entries one each.
 */
import { test } from 'tap'
import type { AuditEvent } from '@medplum/fhirtypes'
import { buildTestApp, FHIR, FHIR_JSON, patient, referral, versionCount } from '../helper.js'
import { auditsOfRequest, referencesOf, subtypeOf } from './support.js'

const NHS = 'https://fhir.nhs.uk/Id/nhs-number'

function task (focus: string): Record<string, unknown> {
  return {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] },
    focus: { reference: focus }
  }
}

test('writes and their AuditEvents commit together; failures are audited without data', async (t) => {
  const { app } = await buildTestApp(t)
  const send = async (requestId: string, method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload: unknown, headers: Record<string, string> = {}): Promise<{ status: number, body: any, events: AuditEvent[] }> => {
    const res = await app.inject({ method, url: `${FHIR}${url}`, headers: { ...FHIR_JSON, ...headers, 'x-request-id': requestId }, payload: payload as object })
    return { status: res.statusCode, body: res.json(), events: await auditsOfRequest(app, requestId) }
  }

  t.test('a refused create stores nothing and leaves one failure AuditEvent', async (t) => {
    const refused = await send('bad-create', 'POST', '/ServiceRequest', referral({ status: 'bogus' }))
    t.equal(refused.status, 422)
    t.equal(refused.body.resourceType, 'OperationOutcome')
    t.equal(await versionCount(app, 'ServiceRequest'), 0, 'nothing stored')
    t.equal(refused.events.length, 1)
    t.match(refused.events[0], { subtype: [{ code: 'create' }], action: 'C', outcome: '4', outcomeDesc: 'HTTP 422', entity: [{ type: { code: 'ServiceRequest' } }] })
    t.same(referencesOf(refused.events[0] as AuditEvent), [], 'no resource was written, so none is named')
  })

  t.test('a create that runs journey rules commits its AuditEvent in its transaction', async (t) => {
    const created = await send('referral', 'POST', '/ServiceRequest', referral())
    const made = await send('task-create', 'POST', '/Task', task(`ServiceRequest/${created.body.id as string}`))
    t.equal(made.status, 201)
    t.equal(made.events.length, 1)
    t.match(made.events[0], { subtype: [{ code: 'create' }], outcome: '0' })
    t.same(referencesOf(made.events[0] as AuditEvent), [`Task/${made.body.id as string}`])
  })

  t.test('an update that fails its If-Match leaves the resource and a failure AuditEvent only', async (t) => {
    const created = await send('to-update', 'POST', '/Patient', patient('9000000009'))
    const id = created.body.id as string
    const stale = await send('stale-update', 'PUT', `/Patient/${id}`, { ...patient('9000000009'), id, gender: 'male' }, { 'if-match': 'W/"7"' })
    t.equal(stale.status, 412)
    const current = await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}` })
    t.equal(current.json().meta.versionId, '1', 'not updated')
    t.equal(current.json().gender, undefined)
    t.equal(stale.events.length, 1, 'no success record, one failure record')
    t.match(stale.events[0], { subtype: [{ code: 'update' }], outcome: '4', outcomeDesc: 'HTTP 412' })
    t.same(referencesOf(stale.events[0] as AuditEvent), [`Patient/${id}`])
  })

  t.test('a transaction has one AuditEvent naming everything it wrote', async (t) => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:0b6f1f0e-5b7a-4b8e-9d3c-2f1a6e4c9b01', resource: patient('9434765919'), request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${NHS}|9434765919` } },
        { resource: referral({ subject: { reference: 'urn:uuid:0b6f1f0e-5b7a-4b8e-9d3c-2f1a6e4c9b01' } }), request: { method: 'POST', url: 'ServiceRequest' } },
        { request: { method: 'GET', url: `Patient?identifier=${NHS}|9434765919` } }
      ]
    }
    const done = await send('transaction-ok', 'POST', '', bundle)
    t.equal(done.status, 200)
    t.equal(done.events.length, 1)
    const event = done.events[0] as AuditEvent
    t.match(event, { subtype: [{ code: 'transaction' }], action: 'E', outcome: '0', outcomeDesc: 'HTTP 200' })
    const written = done.body.entry.slice(0, 2).map((entry: any) => (entry.response.location as string).replace(/\/_history\/.*/, ''))
    t.same(referencesOf(event), written)
    t.ok(event.entity?.some(entity => entity.type?.code === 'Patient' && entity.query !== undefined), 'the search entry, as a query')
  })

  t.test('a transaction that fails stores nothing and leaves only a failure AuditEvent', async (t) => {
    const patients = await versionCount(app, 'Patient')
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: patient('9876543210'), request: { method: 'POST', url: 'Patient' } },
        { resource: referral({ status: 'bogus' }), request: { method: 'POST', url: 'ServiceRequest' } }
      ]
    }
    const failed = await send('transaction-bad', 'POST', '', bundle)
    t.equal(failed.status, 422)
    t.equal(await versionCount(app, 'Patient'), patients, 'the patient of the failed transaction is not stored')
    t.equal(failed.events.length, 1)
    t.match(failed.events[0], { subtype: [{ code: 'transaction' }], outcome: '4', outcomeDesc: 'HTTP 422' })
    t.same(referencesOf(failed.events[0] as AuditEvent), [])
  })

  t.test('each batch entry commits with its own AuditEvent; a failed entry has a failure record', async (t) => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: patient('9000000017'), request: { method: 'POST', url: 'Patient' } },
        { resource: referral({ status: 'bogus' }), request: { method: 'POST', url: 'ServiceRequest' } },
        { request: { method: 'GET', url: 'Patient/nobody' } }
      ]
    }
    const done = await send('batch', 'POST', '', bundle)
    t.equal(done.status, 200)
    const createdPatient = (done.body.entry[0].response.location as string).replace(/\/_history\/.*/, '')
    t.equal(done.events.length, 3)
    const bySubtype = (code: string): AuditEvent[] => done.events.filter(event => subtypeOf(event) === code)
    t.same(bySubtype('create').map(event => [event.outcome, event.outcomeDesc, referencesOf(event)]).sort(),
      [['0', 'HTTP 201', [createdPatient]], ['4', 'HTTP 422', []]])
    t.match(bySubtype('read'), [{ outcome: '4', outcomeDesc: 'HTTP 404' }])
  })

  t.test('the audit trail is append-only', async (t) => {
    const [event] = (await auditsOfRequest(app, 'bad-create'))
    const id = event?.id as string
    const put = await send('audit-put', 'PUT', `/AuditEvent/${id}`, { ...event, outcome: '0' })
    t.equal(put.status, 405)
    const patch = await send('audit-patch', 'PATCH', `/AuditEvent/${id}`, [{ op: 'replace', path: '/outcome', value: '0' }], { 'content-type': 'application/json-patch+json' })
    t.equal(patch.status, 405)
    const removed = await app.inject({ method: 'DELETE', url: `${FHIR}/AuditEvent/${id}`, headers: { 'x-request-id': 'audit-delete' } })
    t.equal(removed.statusCode, 405)
    const batchDelete = await send('audit-batch-delete', 'POST', '', { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'DELETE', url: `AuditEvent/${id}` } }] })
    t.equal(batchDelete.status, 405)
    const after = await app.inject({ method: 'GET', url: `${FHIR}/AuditEvent/${id}` })
    t.equal(after.json().outcome, '4')
    t.equal(after.json().meta.versionId, '1', 'unchanged')
    t.match((await auditsOfRequest(app, 'audit-put'))[0], { subtype: [{ code: 'update' }], outcome: '4', outcomeDesc: 'HTTP 405' }, 'the attempt is itself audited')
  })
})
