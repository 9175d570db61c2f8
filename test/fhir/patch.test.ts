/** PATCH with JSON Patch and FHIRPath Patch: https://hl7.org/fhir/R4/http.html#patch */
import { test } from 'tap'
import { buildTestApp, FHIR, FHIR_JSON, referral } from '../helper.js'

const JSON_PATCH = { 'content-type': 'application/json-patch+json' }

test('JSON Patch and FHIRPath Patch update the resource as a new version', async (t) => {
  const { app } = await buildTestApp(t)
  const { id } = (await app.inject({ method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON, payload: referral() })).json()

  const patched = await app.inject({ method: 'PATCH', url: `${FHIR}/ServiceRequest/${id}`, headers: { ...JSON_PATCH, 'if-match': 'W/"1"' }, payload: [{ op: 'replace', path: '/status', value: 'on-hold' }] })
  t.equal(patched.statusCode, 200)
  t.equal(patched.json().status, 'on-hold')
  t.equal(patched.json().meta.versionId, '2')

  const fhirPath = await app.inject({
    method: 'PATCH',
    url: `${FHIR}/ServiceRequest/${id}`,
    headers: FHIR_JSON,
    payload: {
      resourceType: 'Parameters',
      parameter: [{ name: 'operation', part: [{ name: 'type', valueCode: 'replace' }, { name: 'path', valueString: 'ServiceRequest.status' }, { name: 'value', valueCode: 'active' }] }]
    }
  })
  t.equal(fhirPath.statusCode, 200)
  t.equal(fhirPath.json().status, 'active')
  t.equal(fhirPath.json().meta.versionId, '3')

  const stale = await app.inject({ method: 'PATCH', url: `${FHIR}/ServiceRequest/${id}`, headers: { ...JSON_PATCH, 'if-match': 'W/"1"' }, payload: [{ op: 'replace', path: '/status', value: 'revoked' }] })
  t.equal(stale.statusCode, 412)
  const invalid = await app.inject({ method: 'PATCH', url: `${FHIR}/ServiceRequest/${id}`, headers: JSON_PATCH, payload: [{ op: 'replace', path: '/status', value: 'bogus' }] })
  t.equal(invalid.statusCode, 422, 'a patch that makes the resource invalid is rejected')
  const idChange = await app.inject({ method: 'PATCH', url: `${FHIR}/ServiceRequest/${id}`, headers: JSON_PATCH, payload: [{ op: 'replace', path: '/id', value: 'other' }] })
  t.equal(idChange.statusCode, 400)
  const notAPatch = await app.inject({ method: 'PATCH', url: `${FHIR}/ServiceRequest/${id}`, headers: JSON_PATCH, payload: { op: 'replace' } })
  t.equal(notAPatch.statusCode, 400)
  const failingTest = await app.inject({ method: 'PATCH', url: `${FHIR}/ServiceRequest/${id}`, headers: JSON_PATCH, payload: [{ op: 'test', path: '/status', value: 'draft' }] })
  t.equal(failingTest.statusCode, 422)

  const current = (await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest/${id}` })).json()
  t.equal(current.meta.versionId, '3', 'rejected patches stored nothing')
  t.equal(current.status, 'active')
})
