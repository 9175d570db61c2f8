/**
 * The access policy and scopes reach the paths outside the FHIR REST core: the inbound mappings
 * (scopes checked on what the mapped Bundle writes, the organisation's access inside its
 * transaction, dead letters for admins only), the outbound mappings (a referral out of reach is
 * not known) and the dashboard measure (consent exclusions, the caller's organisation).
 */
import { test } from 'tap'
import { readFile } from 'node:fs/promises'
import { FHIR, FHIR_JSON } from '../helper.js'
import { consent, NHS, NHS_NUMBERS, SNOMED } from '../workflow/fixtures.js'
import { buildAuthedTestApp } from './helper.js'

const ALL = ['system/*.cruds']
const ODS = 'https://fhir.nhs.uk/Id/ods-organization-code'
const PERIOD = 'periodStart=2026-01-01&periodEnd=2026-12-31'

test('scopes and the access policy on inbound, outbound and the dashboard measure', async (t) => {
  const { app, bearer } = await buildAuthedTestApp(t, [
    { clientId: 'admin', role: 'admin', scopes: ALL },
    { clientId: 'dash', role: 'dashboard', odsCode: 'X26', scopes: ALL },
    { clientId: 'gp-a', role: 'gp-system', odsCode: 'A81001', scopes: ALL },
    { clientId: 'narrow', role: 'gp-system', odsCode: 'A81001', scopes: ['system/Measure.r', 'system/Task.rus'] }
  ], { RATE_LIMIT_MAX: '0' })
  const as = { admin: await bearer('admin'), dash: await bearer('dash'), gpA: await bearer('gp-a'), narrow: await bearer('narrow') }
  const create = async (resource: Record<string, unknown>): Promise<string> => {
    const res = await app.inject({ method: 'POST', url: `${FHIR}/${resource.resourceType as string}`, headers: { ...FHIR_JSON, ...as.admin }, payload: resource })
    if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`)
    return res.json().id as string
  }
  const orgA = await create({ resourceType: 'Organization', identifier: [{ system: ODS, value: 'A81001' }], name: 'Practice A' })
  const orgB = await create({ resourceType: 'Organization', identifier: [{ system: ODS, value: 'A81002' }], name: 'Practice B' })
  const person = async (n: number, gp: string): Promise<string> => await create({
    resourceType: 'Patient', identifier: [{ system: NHS, value: NHS_NUMBERS[n] }], name: [{ family: `Family${n}` }], birthDate: '1950-03-14', generalPractitioner: [{ reference: `Organization/${gp}` }]
  })
  const refer = async (patient: string, requester: string): Promise<string> => await create({
    resourceType: 'ServiceRequest', status: 'active', intent: 'order', code: { coding: [{ system: SNOMED, code: '871731000000106' }] },
    subject: { reference: `Patient/${patient}` }, requester: { reference: `Organization/${requester}` }, authoredOn: '2026-03-01T09:00:00Z'
  })
  const pa1 = await person(0, orgA)
  const pa2 = await person(1, orgA)
  const pb = await person(2, orgB)
  await refer(pa1, orgA)
  await refer(pa2, orgA)
  await refer(pb, orgB)
  await create(consent(pa2, orgA, 'deny', 'evaluation'))

  await t.test('the dashboard measure counts what the caller may count', async (t) => {
    const people = async (headers: Record<string, string>): Promise<number> => {
      const res = await app.inject({ method: 'GET', url: `${FHIR}/Measure/sp-participant-profile/$evaluate-measure?${PERIOD}`, headers })
      t.equal(res.statusCode, 200, 'evaluated')
      return res.json().group[0].population[0].count as number
    }
    t.equal(await people(as.admin), 3, 'admin: everyone')
    t.equal(await people(as.dash), 2, 'dashboard: not the person who refused evaluation')
    t.equal(await people(as.gpA), 2, "a practice: its own patients' referrals")
    const narrow = await app.inject({ method: 'GET', url: `${FHIR}/Measure/sp-participant-profile/$evaluate-measure?${PERIOD}`, headers: as.narrow })
    t.equal(narrow.statusCode, 403, 'reading Measure alone does not allow counting referrals')
    t.match(narrow.json().issue[0].details.text, /system\/ServiceRequest\.s/)
  })

  const payload = await readFile('mappings/gp-referral-json/fixtures/normal.input.json', 'utf8')
  const post = async (headers: Record<string, string>): Promise<{ statusCode: number, json: () => any }> =>
    await app.inject({ method: 'POST', url: '/inbound/gp-referral-json', headers: { 'content-type': 'application/json', ...headers }, payload })
  const deadLetters = async (): Promise<number> => {
    const res = await app.inject({ method: 'GET', url: '/inbound/dead-letter', headers: as.admin })
    t.equal(res.statusCode, 200)
    return res.json().items.length as number
  }

  await t.test('inbound: the mapped writes need the scopes, and nothing is kept for a refusal', async (t) => {
    const refused = await post(as.narrow)
    t.equal(refused.statusCode, 403)
    t.match(refused.json().issue[0].details.text, /system\/\w+\.c/)
    const foreign = await post(as.gpA)
    t.equal(foreign.statusCode, 403, 'a practice may not file a referral as another practice (the payload names B86010)')
    t.equal(await deadLetters(), 0, 'refusals are not dead letters')
    const listed = await app.inject({ method: 'GET', url: '/inbound/dead-letter', headers: as.gpA })
    t.equal(listed.statusCode, 403, 'dead letters are for admins')
    const unauthenticated = await post({})
    t.equal(unauthenticated.statusCode, 401)
    const referrals = await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest?_summary=count`, headers: as.admin })
    t.equal(referrals.json().total, 3, 'nothing stored')
  })

  await t.test('inbound as admin stores; outbound keeps to the referral holder', async (t) => {
    const stored = await post(as.admin)
    t.equal(stored.statusCode, 201)
    const location = (stored.json().entry as any[]).map(e => e.response.location as string).find(l => l.startsWith('ServiceRequest/')) as string
    const id = location.split('/')[1] as string
    const outbound = (headers: Record<string, string>): Promise<{ statusCode: number }> => app.inject({ method: 'GET', url: `/outbound/crm-referral/ServiceRequest/${id}`, headers })
    const audits = await app.inject({ method: 'GET', url: `${FHIR}/AuditEvent?entity=ServiceRequest/${id}`, headers: as.admin })
    t.equal(audits.json().entry?.length, 1, "one AuditEvent, committed with the payload's resources")
    t.equal((await outbound(as.admin)).statusCode, 200)
    t.equal((await outbound(as.gpA)).statusCode, 404, 'another practice does not know the referral')
    t.equal((await outbound({})).statusCode, 401)
  })
})
