/**
 * A transaction's plain creates that no rule reads around go to the database together
 * (src/fhir/bundle/deferred-creates.ts). Whatever else the transaction runs must still see them.
 */
import { test } from 'tap'
import { buildTestApp, FHIR, postTransaction, referral, task, versionCount } from '../helper.js'

const SYSTEM = 'urn:test:deferred'
const PATIENT_URN = 'urn:uuid:5d0c3a3e-2b9f-4c41-8f6e-1f0d7c2a9b10'

const condition = (code: string): Record<string, unknown> => ({
  resourceType: 'Condition',
  identifier: [{ system: SYSTEM, value: code }],
  code: { coding: [{ system: 'http://snomed.info/sct', code }] },
  subject: { reference: PATIENT_URN }
})

test('creates written together are visible to the searches, reads and rules that follow them', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await postTransaction(app, [
    { fullUrl: PATIENT_URN, request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', identifier: [{ system: SYSTEM, value: 'p1' }] } },
    { request: { method: 'POST', url: 'Condition' }, resource: condition('35489007') },
    { request: { method: 'POST', url: 'Condition' }, resource: condition('73595000') },
    // A ruled type between and after them: its rule reads through the same transaction.
    { request: { method: 'POST', url: 'ServiceRequest' }, resource: referral({ subject: { reference: PATIENT_URN } }) },
    { request: { method: 'POST', url: 'Condition' }, resource: condition('422650009') },
    // GET entries run last, after every write: they must find the rows that waited.
    { request: { method: 'GET', url: `Condition?identifier=${SYSTEM}|&_total=accurate` } },
    { request: { method: 'GET', url: `Patient?identifier=${SYSTEM}|p1` } }
  ])
  t.equal(res.statusCode, 200)
  const entries = res.json().entry
  t.same(entries.slice(0, 5).map((e: any) => e.response.status), Array(5).fill('201 Created'))
  const patientId = entries[0].resource.id
  t.equal(entries[1].resource.subject.reference, `Patient/${patientId}`, 'references rewritten as before')
  t.equal(entries[5].resource.total, 3, 'the search inside the transaction finds all three conditions')
  t.equal(entries[6].resource.entry[0].resource.id, patientId)
  // And after commit, through the API, each reads back as the response said.
  for (const entry of entries.slice(0, 5)) {
    const read = await app.inject({ method: 'GET', url: `${FHIR}/${entry.response.location.replace(/\/_history\/1$/, '')}` })
    t.equal(read.statusCode, 200)
    t.equal(read.json().meta.versionId, '1')
  }
  t.equal(await versionCount(app, 'Condition'), 3)
})

test('a failure after the waiting creates rolls them back with the rest', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await postTransaction(app, [
    { fullUrl: PATIENT_URN, request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', identifier: [{ system: SYSTEM, value: 'p2' }] } },
    { request: { method: 'POST', url: 'Condition' }, resource: condition('35489007') },
    { request: { method: 'GET', url: 'ServiceRequest/does-not-exist' } }
  ])
  t.equal(res.statusCode, 404)
  t.equal(res.json().resourceType, 'OperationOutcome')
  t.match(res.json().issue[0].expression, ['Bundle.entry[2]'], 'names the failing entry')
  t.equal(await versionCount(app, 'Patient'), 0)
  t.equal(await versionCount(app, 'Condition'), 0)
})

test('a referral whose rule reads its parent sees the parent created earlier in the transaction', async (t) => {
  const { app } = await buildTestApp(t)
  const PARENT = 'urn:uuid:8a1d2f3c-4b5e-4f60-9a7b-0c1d2e3f4a51'
  const transaction = (parentStatus: string): unknown[] => [
    // No basedOn: nothing for its rule to read, so its row waits with the others.
    { fullUrl: PARENT, request: { method: 'POST', url: 'ServiceRequest' }, resource: referral({ status: parentStatus }) },
    { request: { method: 'POST', url: 'Condition' }, resource: { resourceType: 'Condition', code: { text: 'lonely' }, subject: { reference: 'Patient/example-patient' } } },
    // An onward referral: its rule must find the parent, so the waiting rows go in first.
    { request: { method: 'POST', url: 'ServiceRequest' }, resource: referral({ basedOn: [{ reference: PARENT }] }) }
  ]
  const refused = await postTransaction(app, transaction('completed'))
  t.equal(refused.statusCode, 409, 'an onward referral from a completed parent is refused')
  t.match(refused.json().issue[0].expression, ['Bundle.entry[2].resource.basedOn[0]'])
  t.equal(await versionCount(app, 'ServiceRequest'), 0)
  t.equal(await versionCount(app, 'Condition'), 0)
  const accepted = await postTransaction(app, transaction('active'))
  t.equal(accepted.statusCode, 200)
  t.equal(await versionCount(app, 'ServiceRequest'), 2)
})

test('a Task listed before the referral it focuses still has its rule checked against that referral', async (t) => {
  // POST entries have no order among themselves (http.html#trules): the referral, whose create
  // waits with the others, goes in before the Task's rule reads it, wherever the Bundle lists it.
  const { app } = await buildTestApp(t)
  const REFERRAL = 'urn:uuid:2f6c8e1a-7d3b-4c5e-9f10-a1b2c3d4e5f6'
  const transaction = (referralStatus: string): unknown[] => [
    {
      request: { method: 'POST', url: 'Task' },
      resource: task({ focus: { reference: REFERRAL }, for: { reference: 'Patient/example-patient' } })
    },
    { request: { method: 'POST', url: 'Condition' }, resource: { ...condition('35489007'), subject: { reference: 'Patient/example-patient' } } },
    { fullUrl: REFERRAL, request: { method: 'POST', url: 'ServiceRequest' }, resource: referral({ status: referralStatus }) }
  ]
  const refused = await postTransaction(app, transaction('completed'))
  t.equal(refused.statusCode, 409, 'no new task on a completed referral, even one listed after the task')
  t.match(refused.json().issue[0].expression, ['Bundle.entry[0].resource.focus'])
  t.equal(await versionCount(app, 'Task'), 0)
  t.equal(await versionCount(app, 'ServiceRequest'), 0)
  t.equal(await versionCount(app, 'Condition'), 0)
  const accepted = await postTransaction(app, transaction('active'))
  t.equal(accepted.statusCode, 200)
  const entries = accepted.json().entry
  t.same(entries.map((e: any) => e.response.status), Array(3).fill('201 Created'), 'responses stay in Bundle order')
  t.match(entries[0].response.location, /^Task\//)
  t.equal(entries[0].resource.focus.reference, entries[2].response.location.replace(/\/_history\/1$/, ''))
  t.equal(await versionCount(app, 'Task'), 1)
})
