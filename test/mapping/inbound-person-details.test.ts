/**
 * Pack 1's PRSB person details beyond name and address, through POST /inbound on a real database:
 * ethnicity (UK Core ethnic category extension, read back by the dashboard's ethnicGroupOf),
 * interpreter required, and the preferred contact method (the telecom ranked 1), for the
 * structured JSON and the practice form; unknown codes are a 400 at the field, nothing stored.
 */
import { readFileSync } from 'node:fs'
import { test } from 'tap'
import type { Patient } from '@medplum/fhirtypes'
import type { FastifyInstance } from 'fastify'
import { ETHNIC_GROUPS, ethnicGroupOf } from '../../src/dashboard/ethnicity.js'
import { buildTestApp, FHIR, versionCount } from '../helper.js'

const fixture = (mapping: string, name: string): Record<string, unknown> => JSON.parse(readFileSync(`mappings/${mapping}/fixtures/${name}.input.json`, 'utf8'))
const headers = { 'content-type': 'application/json', 'x-sender': 'practice-b86010' }
const INTERPRETER = 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired'
const STORED = ['Patient', 'ServiceRequest', 'Task', 'Consent']

async function post (app: FastifyInstance, mapping: string, payload: unknown): Promise<Awaited<ReturnType<FastifyInstance['inject']>>> {
  return await app.inject({ method: 'POST', url: `/inbound/${mapping}`, headers, payload: JSON.stringify(payload) })
}

async function patientByNhsNumber (app: FastifyInstance, nhsNumber: string): Promise<Patient> {
  const bundle = (await app.inject({ method: 'GET', url: `${FHIR}/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${nhsNumber}` })).json()
  return bundle.entry[0].resource
}

async function counts (app: FastifyInstance): Promise<number[]> {
  return await Promise.all(STORED.map(async type => await versionCount(app, type)))
}

function errorsOf (body: { issue: Array<{ severity: string, location?: string[], details: { text: string } }> }): Array<{ location?: string, text: string }> {
  return body.issue.filter(i => i.severity === 'error').map(i => ({ location: i.location?.[0], text: i.details.text }))
}

test('PRSB person details: ethnicity, interpreter, preferred contact', async (t) => {
  const { app } = await buildTestApp(t)

  await t.test('structured JSON: stored as the UK Core extension the dashboard reads, the interpreter flag and the ranked phone', async (t) => {
    const res = await post(app, 'gp-referral-json', fixture('gp-referral-json', 'normal'))
    t.equal(res.statusCode, 201, res.body)
    const patient = await patientByNhsNumber(app, '9434765919')
    t.same(ethnicGroupOf(patient), ETHNIC_GROUPS.black, 'N (Black or Black British - African) is read back as the Black group')
    t.same(patient.extension?.find(e => e.url === INTERPRETER), { url: INTERPRETER, valueBoolean: false })
    t.same(patient.telecom?.map(c => [c.system, c.rank]), [['phone', 1], ['email', undefined]], 'the preferred method is the telecom ranked 1')
  })

  await t.test('structured JSON: Z (not stated) and an interpreter needed', async (t) => {
    const payload = fixture('gp-referral-json', 'minimal')
    const person = payload.person as Record<string, unknown>
    const res = await post(app, 'gp-referral-json', { ...payload, person: { ...person, ethnicCategory: 'Z', email: 'j@example.org', communication: { interpreterRequired: true, preferredContactMethod: 'email' } } })
    t.equal(res.statusCode, 201, res.body)
    const patient = await patientByNhsNumber(app, '9000000009')
    t.same(ethnicGroupOf(patient), ETHNIC_GROUPS.notStated)
    t.same(patient.extension?.find(e => e.url === INTERPRETER)?.valueBoolean, true)
    t.same(patient.telecom, [{ system: 'email', value: 'j@example.org', rank: 1 }])
  })

  await t.test('structured JSON: unknown codes and a preferred method without its contact are 400 at the field, nothing stored', async (t) => {
    const before = await counts(app)
    const payload = fixture('gp-referral-json', 'minimal')
    const person = payload.person as Record<string, unknown>
    for (const code of ['Q', '99', 'a', 'White British']) {
      const res = await post(app, 'gp-referral-json', { ...payload, person: { ...person, ethnicCategory: code } })
      t.equal(res.statusCode, 400, `${code}: status`)
      t.match(errorsOf(res.json()), [{ location: '/person/ethnicCategory', text: /must be one of "A", "B"/ }], `${code}: names the field`)
    }
    const res = await post(app, 'gp-referral-json', fixture('gp-referral-json', 'bad-ethnicity-and-contact'))
    t.equal(res.statusCode, 400)
    t.same(errorsOf(res.json()).map(e => e.location).sort(), ['/person/communication/interpreterRequired', '/person/email', '/person/ethnicCategory'])
    t.same(await counts(app), before, 'nothing stored')
  })

  await t.test('practice form: the same FHIR as the structured JSON', async (t) => {
    const res = await post(app, 'gp-referral-form', { ...fixture('gp-referral-form', 'awkward'), patient_nhs_no: '9876543210', form_id: 'FORM-ETH-1' })
    t.equal(res.statusCode, 201, res.body)
    const patient = await patientByNhsNumber(app, '9876543210')
    t.same(ethnicGroupOf(patient), ETHNIC_GROUPS.notStated, 'Z|Not stated from the form')
    t.same(patient.extension?.find(e => e.url === INTERPRETER)?.valueBoolean, true, 'Y: interpreter required')
  })

  await t.test('practice form: an unknown ethnic category is 400 at the field, nothing stored', async (t) => {
    const before = await counts(app)
    const res = await post(app, 'gp-referral-form', fixture('gp-referral-form', 'bad-ethnicity'))
    t.equal(res.statusCode, 400)
    t.match(errorsOf(res.json()), [{ location: '/patient_ethnic_category', text: /"Q" is not a code this mapping knows/ }])
    const noPhone = await post(app, 'gp-referral-form', { ...fixture('gp-referral-form', 'minimal'), patient_preferred_contact: 'phone' })
    t.equal(noPhone.statusCode, 400)
    t.match(errorsOf(noPhone.json()), [{ location: '/patient_phone', text: /is required/ }])
    t.same(await counts(app), before, 'nothing stored')
  })
})
