/** NHS numbers: the Modulus 11 rule on its own, then wherever an NHS number appears in a write. */
import { test } from 'tap'
import { isValidNhsNumber, nhsCheckDigit, nhsNumberProblem } from '../../src/terminology/nhs-number.js'
import { buildTestApp, FHIR, FHIR_JSON, patient, referral, versionCount } from '../helper.js'

const NHS = 'https://fhir.nhs.uk/Id/nhs-number'
const VERIFICATION = 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus'

test('Modulus 11', async (t) => {
  t.ok(isValidNhsNumber('9434765919'), 'a valid number')
  t.ok(isValidNhsNumber('9000000009'))
  t.notOk(isValidNhsNumber('9434765918'), 'wrong check digit')
  t.notOk(isValidNhsNumber('943 476 5919'), 'spaces')
  t.notOk(isValidNhsNumber('943476591'), 'nine digits')
  t.equal(nhsCheckDigit('100000001'), undefined, 'a check digit of 10 means no valid number')
  t.notOk(isValidNhsNumber('1000000010'), 'so no number starting 100000001 is valid')
  t.equal(nhsCheckDigit('100000006'), 0, '11 becomes 0')
  t.ok(isValidNhsNumber('1000000060'))
  t.match(nhsNumberProblem('12345'), /ten digits/)
  t.match(nhsNumberProblem('9434765918'), /Modulus 11/)
})

test('an invalid NHS number is a 422 naming the element, on every write path, and nothing is stored', async (t) => {
  const { app } = await buildTestApp(t)
  const bad = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: patient('9434765918') })
  t.equal(bad.statusCode, 422)
  t.same(bad.json().issue[0].expression, ['Patient.identifier[0].value'])
  t.match(bad.json().issue[0].details.text, /Modulus 11/)

  const secondIdentifier = { ...patient('9434765919'), identifier: [{ system: 'http://hospital.example/mrn', value: 'A1' }, { system: NHS, value: '12345' }] }
  const second = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: secondIdentifier })
  t.equal(second.statusCode, 422)
  t.same(second.json().issue[0].expression, ['Patient.identifier[1].value'])

  // An NHS number in a logical reference is checked too.
  const inReference = await app.inject({ method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON, payload: referral({ subject: { identifier: { system: NHS, value: '9434765918' } } }) })
  t.equal(inReference.statusCode, 422)
  t.same(inReference.json().issue[0].expression, ['ServiceRequest.subject.identifier.value'])

  const contained = await app.inject({
    method: 'POST', url: `${FHIR}/ServiceRequest`, headers: FHIR_JSON,
    payload: referral({ contained: [{ ...patient('9434765918'), id: 'p' }], subject: { reference: '#p' } })
  })
  t.equal(contained.statusCode, 422, 'a contained Patient is checked too')
  t.same(contained.json().issue[0].expression, ['ServiceRequest.contained[0].identifier[0].value'])

  const created = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: patient('9434765919') })
  t.equal(created.statusCode, 201)
  const id = created.json().id
  const badUpdate = await app.inject({ method: 'PUT', url: `${FHIR}/Patient/${id}`, headers: FHIR_JSON, payload: { ...patient('9434765911'), id } })
  t.equal(badUpdate.statusCode, 422)
  const badPatch = await app.inject({
    method: 'PATCH', url: `${FHIR}/Patient/${id}`, headers: { 'content-type': 'application/json-patch+json' },
    payload: [{ op: 'replace', path: '/identifier/0/value', value: '0000000001' }]
  })
  t.equal(badPatch.statusCode, 422)
  const transaction = await app.inject({
    method: 'POST', url: FHIR, headers: FHIR_JSON,
    payload: { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: patient('9434765918'), request: { method: 'POST', url: 'Patient' } }] }
  })
  t.equal(transaction.statusCode, 422)
  t.same(transaction.json().issue[0].expression, ['Bundle.entry[0].resource.identifier[0].value'])

  t.equal(await versionCount(app, 'Patient'), 1, 'only the valid patient, unchanged')
  t.equal(await versionCount(app, 'ServiceRequest'), 0)
})

test('verification status: the current England and the retired code systems are both accepted', async (t) => {
  const { app } = await buildTestApp(t)
  const withStatus = (system: string, code: string): Record<string, unknown> => ({
    ...patient('9434765919'),
    identifier: [{
      system: NHS,
      value: '9434765919',
      extension: [{ url: VERIFICATION, valueCodeableConcept: { coding: [{ system, code }] } }]
    }]
  })
  const england = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: withStatus('https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland', '01') })
  t.equal(england.statusCode, 201)
  const retired = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: withStatus('https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatus', 'number-present-and-verified') })
  t.equal(retired.statusCode, 201)

  const unknownCode = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: withStatus('https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland', '09') })
  t.equal(unknownCode.statusCode, 422)
  t.same(unknownCode.json().issue[0].expression, ['Patient.identifier[0].extension[0].valueCodeableConcept.coding[0].code'])
  const otherSystem = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: withStatus('http://example.org/status', '01') })
  t.equal(otherSystem.statusCode, 422)
  t.same(otherSystem.json().issue[0].expression, ['Patient.identifier[0].extension[0].valueCodeableConcept'])
  t.equal(await versionCount(app, 'Patient'), 2)
})
