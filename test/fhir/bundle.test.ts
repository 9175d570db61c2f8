/** batch and transaction Bundles: https://hl7.org/fhir/R4/http.html#transaction */
import { test } from 'tap'
import { buildTestApp, FHIR, FHIR_JSON, patient, referral, task, versionCount } from '../helper.js'

const NHS = 'https://fhir.nhs.uk/Id/nhs-number'
const PATIENT_URN = 'urn:uuid:0b6f1f0e-5b7a-4b8e-9d3c-2f1a6e4c9b01'
const REFERRAL_URN = 'urn:uuid:7d3e2c1b-0a9f-4e8d-b7c6-5a4f3e2d1c02'

function referralTransaction (nhsNumber: string): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: REFERRAL_URN,
        resource: referral({ subject: { reference: PATIENT_URN } }),
        request: { method: 'POST', url: 'ServiceRequest' }
      },
      {
        fullUrl: 'urn:uuid:3c2b1a09-8f7e-4d6c-a5b4-c3d2e1f0a903',
        resource: task({ focus: { reference: REFERRAL_URN }, for: { reference: PATIENT_URN } }),
        request: { method: 'POST', url: 'Task' }
      },
      {
        fullUrl: PATIENT_URN,
        resource: patient(nhsNumber),
        request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${NHS}|${nhsNumber}` }
      }
    ]
  }
}

test('a transaction assigns ids, rewrites urn:uuid references and reports each entry', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'POST', url: FHIR, headers: FHIR_JSON, payload: referralTransaction('9000000009') })
  t.equal(res.statusCode, 200)
  const bundle = res.json()
  t.equal(bundle.type, 'transaction-response')
  t.equal(bundle.entry.length, 3)
  for (const entry of bundle.entry) {
    t.equal(entry.response.status, '201 Created')
    t.match(entry.response.location, /^[A-Za-z]+\/[0-9a-f-]{36}\/_history\/1$/)
    t.equal(entry.response.etag, 'W/"1"')
  }
  const [serviceRequest, task, createdPatient] = bundle.entry.map((e: any) => e.resource)
  t.equal(serviceRequest.subject.reference, `Patient/${createdPatient.id}`)
  t.equal(task.focus.reference, `ServiceRequest/${serviceRequest.id}`)
  t.equal(task.for.reference, `Patient/${createdPatient.id}`)

  // The same referral again: the conditional create finds the patient, so only new referral and task.
  const again = (await app.inject({ method: 'POST', url: FHIR, headers: FHIR_JSON, payload: referralTransaction('9000000009') })).json()
  t.equal(again.entry[2].response.status, '200 OK')
  t.equal(again.entry[2].resource.id, createdPatient.id)
  t.equal(again.entry[0].resource.subject.reference, `Patient/${createdPatient.id}`)
  t.equal(await versionCount(app, 'Patient'), 1)
  t.equal(await versionCount(app, 'ServiceRequest'), 2)
})

test('conditional references resolve inside the transaction', async (t) => {
  const { app } = await buildTestApp(t)
  const created = (await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: patient('9434765919') })).json()
  const res = await app.inject({
    method: 'POST',
    url: FHIR,
    headers: FHIR_JSON,
    payload: {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ resource: referral({ subject: { reference: `Patient?identifier=${NHS}|9434765919` } }), request: { method: 'POST', url: 'ServiceRequest' } }]
    }
  })
  t.equal(res.statusCode, 200)
  t.equal(res.json().entry[0].resource.subject.reference, `Patient/${created.id}`)

  const unmatched = await app.inject({
    method: 'POST',
    url: FHIR,
    headers: FHIR_JSON,
    payload: {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ resource: referral({ subject: { reference: `Patient?identifier=${NHS}|9999999999` } }), request: { method: 'POST', url: 'ServiceRequest' } }]
    }
  })
  t.equal(unmatched.statusCode, 412)
  t.equal(unmatched.json().resourceType, 'OperationOutcome')
  t.ok(unmatched.json().issue.some((issue: { expression?: string[] }) => issue.expression?.includes('Bundle.entry[0].resource.subject.reference')), 'the issue names where the reference is')
  t.equal(await versionCount(app, 'ServiceRequest'), 1)
})

test('one failing entry rolls back the whole transaction', async (t) => {
  const { app } = await buildTestApp(t)
  await app.inject({ method: 'PUT', url: `${FHIR}/ServiceRequest/keep-me`, headers: FHIR_JSON, payload: referral({ id: 'keep-me' }) })
  const other = (await app.inject({ method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON, payload: referral() })).json()
  const bundle = referralTransaction('9000000009') as { entry: any[] }
  bundle.entry.push(
    { resource: referral({ id: 'keep-me', status: 'revoked' }), request: { method: 'PUT', url: 'ServiceRequest/keep-me' } },
    { request: { method: 'DELETE', url: `ServiceRequest/${other.id}` } },
    { resource: referral({ status: 'bogus' }), request: { method: 'POST', url: 'ServiceRequest' } }
  )
  const res = await app.inject({ method: 'POST', url: FHIR, headers: FHIR_JSON, payload: bundle })
  t.equal(res.statusCode, 422)
  const outcome = res.json()
  t.equal(outcome.resourceType, 'OperationOutcome')
  t.same(outcome.issue[0].expression, ['Bundle.entry[5].resource.status'], 'names the failing entry and element')
  t.equal(await versionCount(app, 'Patient'), 0)
  t.equal(await versionCount(app, 'Task'), 0)
  const kept = (await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest/keep-me` })).json()
  t.equal(kept.status, 'active', 'the update and delete were rolled back')
  t.equal(kept.meta.versionId, '1')
  t.equal((await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest/${other.id}` })).statusCode, 200)
  t.equal(await versionCount(app, 'ServiceRequest'), 2)
})

test('a transaction may not touch one resource twice', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({
    method: 'POST',
    url: FHIR,
    headers: FHIR_JSON,
    payload: {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: referral({ id: 'a' }), request: { method: 'PUT', url: 'ServiceRequest/a' } },
        { resource: referral({ id: 'a', status: 'revoked' }), request: { method: 'PUT', url: 'ServiceRequest/a' } }
      ]
    }
  })
  t.equal(res.statusCode, 400)
  t.equal(await versionCount(app, 'ServiceRequest'), 0)
})

test('a batch runs each entry on its own and reports each outcome', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({
    method: 'POST',
    url: FHIR,
    headers: FHIR_JSON,
    payload: {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: referral(), request: { method: 'POST', url: 'ServiceRequest' } },
        { resource: referral({ status: 'bogus' }), request: { method: 'POST', url: 'ServiceRequest' } },
        { request: { method: 'GET', url: 'ServiceRequest/does-not-exist' } },
        { resource: patient('9000000009'), request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${NHS}|9000000009` } }
      ]
    }
  })
  t.equal(res.statusCode, 200)
  const bundle = res.json()
  t.equal(bundle.type, 'batch-response')
  t.same(bundle.entry.map((e: any) => e.response.status.slice(0, 3)), ['201', '422', '404', '201'])
  t.equal(bundle.entry[1].response.outcome.resourceType, 'OperationOutcome')
  t.equal(await versionCount(app, 'ServiceRequest'), 1)
  t.equal(await versionCount(app, 'Patient'), 1)

  const read = await app.inject({
    method: 'POST',
    url: FHIR,
    headers: FHIR_JSON,
    payload: { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: `ServiceRequest/${bundle.entry[0].resource.id}` } }] }
  })
  t.equal(read.json().entry[0].resource.id, bundle.entry[0].resource.id)
})

test('malformed bundles are 400', async (t) => {
  const { app } = await buildTestApp(t)
  const payloads = [
    { resourceType: 'Patient' },
    { resourceType: 'Bundle', type: 'transaction', entry: {} },
    { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: referral() }] },
    { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: referral(), request: { method: 'POST', url: '../../etc' } }] },
    { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: referral(), request: { method: 'TRACE', url: 'ServiceRequest' } }] }
  ]
  for (const payload of payloads) {
    const res = await app.inject({ method: 'POST', url: FHIR, headers: FHIR_JSON, payload })
    t.equal(res.statusCode, 400, JSON.stringify(payload).slice(0, 80))
    t.equal(res.json().resourceType, 'OperationOutcome')
  }
  t.equal(await versionCount(app, 'ServiceRequest'), 0)
})
