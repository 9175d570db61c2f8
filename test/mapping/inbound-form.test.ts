/**
 * POST /inbound/gp-referral-form (flat practice form) stores the same FHIR as the structured JSON
 * referral; bad forms are answered field by field with nothing stored.
 */
import { readFileSync } from 'node:fs'
import { test } from 'tap'
import { buildTestApp, FHIR, versionCount } from '../helper.js'

const form = (name: string): Record<string, unknown> => JSON.parse(readFileSync(`mappings/gp-referral-form/fixtures/${name}.input.json`, 'utf8'))
const json = (name: string): Record<string, unknown> => JSON.parse(readFileSync(`mappings/gp-referral-json/fixtures/${name}.input.json`, 'utf8'))
const headers = { 'content-type': 'application/json', 'x-sender': 'practice-form-b86010' }

test('practice referral forms', async (t) => {
  const { app } = await buildTestApp(t)
  const post = async (mapping: string, payload: unknown): Promise<Awaited<ReturnType<typeof app.inject>>> =>
    await app.inject({ method: 'POST', url: `/inbound/${mapping}`, headers, payload: JSON.stringify(payload) })

  await t.test('normal, minimal and awkward forms are stored', async (t) => {
    for (const name of ['normal', 'minimal', 'awkward']) {
      const res = await post('gp-referral-form', form(name))
      t.equal(res.statusCode, 201, `${name}: ${res.body}`)
    }
    const sr = (await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest?identifier=https://fhir.socialprescribing.example/Id/gp-referral-id|HPS-RF-2026-0193` })).json().entry[0].resource
    t.equal(sr.authoredOn, '2026-11-02', 'the UK date became a FHIR date')
    t.same(sr.reasonCode.map((c: { coding: Array<{ code: string }> }) => c.coding[0]?.code), ['loneliness-or-social-isolation', 'bereavement'], 'form codes translated by the ConceptMap')
    t.equal(sr.reasonCode[0].text, 'Loneliness or social isolation', 'the display kept as text')
    const patient = (await app.inject({ method: 'GET', url: `${FHIR}/${sr.subject.reference as string}` })).json()
    t.match(patient, { birthDate: '1948-07-21', gender: 'female', name: [{ given: ['Margaret', 'Ann'], family: 'Okafor', prefix: ['Mrs'] }] })
    const awkwardOrgs = (await app.inject({ method: 'GET', url: `${FHIR}/Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|Y02494` })).json()
    t.equal(awkwardOrgs.entry.length, 1, 'a practice that is also the receiving service is one Organization')
  })

  await t.test('the form and the structured JSON referral describe the same person and practice', async (t) => {
    const patients = await versionCount(app, 'Patient')
    const organizations = await versionCount(app, 'Organization')
    t.equal((await post('gp-referral-json', json('normal'))).statusCode, 201)
    t.equal(await versionCount(app, 'Patient'), patients, 'the same Patient (NHS number)')
    t.equal(await versionCount(app, 'Organization'), organizations, 'the same practice and service (ODS codes)')
  })

  await t.test('bad forms: every problem at its field, nothing stored', async (t) => {
    const counts = await Promise.all(['Patient', 'ServiceRequest', 'Task', 'Condition'].map(async type => await versionCount(app, type)))
    const bad = await post('gp-referral-form', form('bad-codes-and-dates'))
    t.equal(bad.statusCode, 400)
    const locations = bad.json().issue.filter((i: { severity: string }) => i.severity === 'error').map((i: { location: string[] }) => i.location[0])
    t.same(locations, ['/patient_nhs_no', '/date_of_referral', '/consent_date', '/patient_sex', '/referrer_role', '/need_1', '/condition_1'])
    const shape = await post('gp-referral-form', form('bad-shape'))
    t.equal(shape.statusCode, 400)
    t.match(shape.json().issue.map((i: { details: { text: string } }) => i.details.text).join('\n'), /\/patient: is not a field[\s\S]*\/patient_nhs_no: must be string[\s\S]*\/consent_share_vcfse: must be one of "Y"/)
    const noConsent = await post('gp-referral-form', { ...form('minimal'), consent_share_vcfse: 'N' })
    t.equal(noConsent.statusCode, 400)
    t.same(await Promise.all(['Patient', 'ServiceRequest', 'Task', 'Condition'].map(async type => await versionCount(app, type))), counts)
  })
})
