/**
 * Pack 5 through HTTP on a real database: CRM outcome assessments, as JSON or as a CSV export,
 * become scored outcome Observations linked to the referral; bad ones are rejected precisely
 * (CSV by row number) with nothing stored unless the caller asks for partial acceptance.
 */
import { test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helper.js'
import { client, NHS_NUMBERS, person, spReferral } from '../workflow/fixtures.js'

const ASSESSMENT_ID = 'https://fhir.socialprescribing.example/crm/assessment-id'
const NHS = NHS_NUMBERS[2]

async function inbound (app: FastifyInstance, mapping: string, payload: string, contentType: string, query = ''): Promise<{ status: number, body: any }> {
  const res = await app.inject({ method: 'POST', url: `/inbound/${mapping}${query}`, headers: { 'content-type': contentType, 'x-sender': 'crm-test' }, payload })
  return { status: res.statusCode, body: JSON.parse(res.body) }
}

test('CRM outcome assessments become scored Observations on the referral', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const api = client(app)
  const patient = await api.created('Patient', person(NHS, '1955-02-02'))
  const referral = await api.created('ServiceRequest', spReferral(patient.id))
  const observations = async (query = ''): Promise<any[]> => ((await api.get(`Observation?based-on=ServiceRequest/${referral.id as string}${query}`)).body.entry ?? []).map((e: any) => e.resource)
  const json = (body: Record<string, unknown>): Promise<{ status: number, body: any }> => inbound(app, 'crm-outcomes', JSON.stringify({ gatewayReferralId: referral.id, nhsNumber: NHS, ...body }), 'application/json')

  await t.test('a SWEMWBS assessment with answers and total', async (t) => {
    const res = await json({
      assessmentId: 'ELM-1', instrument: 'SWEMWBS', completedOn: '2026-12-01', total: 23,
      answers: [3, 4, 3, 3, 4, 3, 3].map((score, i) => ({ question: `SWEMWBS_${i + 1}`, score }))
    })
    t.equal(res.status, 201, JSON.stringify(res.body))
    const [obs] = await observations()
    t.equal(obs.subject.reference, `Patient/${patient.id as string}`, 'the NHS number found the person')
    t.same(obs.code.coding[0], { system: 'http://snomed.info/sct', code: '718466001', display: 'Short Warwick-Edinburgh Mental Well-being Scale score' })
    t.equal(obs.valueQuantity.value, 23)
    t.equal(obs.component.length, 7)
    t.equal(obs.effectiveDateTime, '2026-12-01')
  })

  await t.test('the same assessment again, even under another key, stores nothing new', async (t) => {
    const res = await inbound(app, 'crm-outcomes', JSON.stringify({ gatewayReferralId: referral.id, nhsNumber: NHS, assessmentId: 'ELM-1', instrument: 'SWEMWBS', completedOn: '2026-12-02', total: 24 }), 'application/json')
    t.equal(res.status, 201)
    t.equal(res.body.entry[0].response.status, '200 OK', 'the If-None-Exist matched the stored assessment')
    t.equal((await observations()).length, 1)
  })

  await t.test('items that do not add up to the total: 422 naming the element, nothing stored', async (t) => {
    const res = await json({ assessmentId: 'ELM-2', instrument: 'UCLA3', completedOn: '2026-12-01', total: 9, answers: [{ question: 'UCLA3_COMPANIONSHIP', score: 1 }, { question: 'UCLA3_LEFT_OUT', score: 1 }, { question: 'UCLA3_ISOLATED', score: 1 }] })
    t.equal(res.status, 422)
    t.match(JSON.stringify(res.body), /items add up to 3, but the score is 9/)
    t.equal((await observations()).length, 1)
  })

  await t.test('bad payloads are 400 at their pointers; an unknown person is rejected; nothing stored', async (t) => {
    const bad = await json({ assessmentId: 'ELM-3', instrument: 'UCLA3', completedOn: '2026-12-01', total: 6, nhsNumber: '9990000019', answers: [{ question: 'UCLA3_LONELY', score: 2 }] })
    t.equal(bad.status, 400)
    t.same(bad.body.issue.flatMap((i: any) => i.location ?? []).sort(), ['/answers/0/question', '/nhsNumber'])
    const types = await json({ assessmentId: 'ELM-4', instrument: 'PHQ9', completedOn: 'yesterday', total: '6' })
    t.equal(types.status, 400)
    t.same(['/instrument', '/completedOn', '/total'].filter(p => !JSON.stringify(types.body).includes(`"${p}"`)), [])
    const stranger = await json({ assessmentId: 'ELM-5', instrument: 'WEMWBS', completedOn: '2026-12-01', total: 40, nhsNumber: NHS_NUMBERS[3] })
    t.equal(stranger.status, 412)
    t.match(JSON.stringify(stranger.body), /matched no resource/)
    t.equal((await observations()).length, 1)
  })

  const header = 'assessment_id,gateway_referral_id,nhs_number,instrument,completed_on,total,ONS4_SATISFIED,ONS4_WORTHWHILE,ONS4_HAPPY,ONS4_ANXIOUS\n'
  const row = (id: string, rest: string): string => `${id},${referral.id as string},${NHS},${rest}\n`

  await t.test('CSV: every row stored, or none with the problems by row number', async (t) => {
    const outOfRange = header + row('CSV-1', 'ONS4,2027-01-10,,6,7,8,3') + row('CSV-2', 'WEMWBS,2027-01-10,80,,,,') + row('CSV-4', 'WEMWBS,2027-01-10,51,,,,')
    const res = await inbound(app, 'crm-outcomes-csv', outOfRange, 'text/csv')
    t.equal(res.status, 422, 'WEMWBS 80 passes the row schema but not the instrument range')
    t.match(res.body.issue[0].details.text, /^row 2 \(line 3\): WEMWBS score 80 is outside the valid range 14–70/)
    const badDate = header + row('CSV-1', 'ONS4,2027-01-10,,6,7,8,3') + row('CSV-2', 'WEMWBS,2027-01-10,50,,,,') + row('CSV-3', 'ONS4,10/01/2027,,6,7,8,3')
    const rows = await inbound(app, 'crm-outcomes-csv', badDate, 'text/csv')
    t.equal(rows.status, 400)
    t.match(rows.body.issue[0].details.text, /^row 3 \(line 4\): \/completed_on: must match pattern/)
    t.same(rows.body.issue[0].location, ['/2/completed_on'])
    t.equal((await observations()).length, 1, 'nothing stored')
  })

  await t.test('CSV with ?partial=true keeps the good rows and lists the others', async (t) => {
    const csv = header + row('CSV-1', 'ONS4,2027-01-10,,6,7,8,3') + row('CSV-2', 'WEMWBS,2027-01-10,50,,,,') + row('CSV-3', 'ONS4,10/01/2027,,6,7,8,3')
    const res = await inbound(app, 'crm-outcomes-csv', csv, 'text/csv', '?partial=true')
    t.equal(res.status, 201, JSON.stringify(res.body))
    const stored = await observations()
    t.same(stored.map(o => o.identifier[0].value).sort(), ['CSV-1', 'CSV-2', 'ELM-1'])
    t.match(JSON.stringify(res.body), /row 3 \(line 4\)/, 'the answer names the row left out')
  })

  await t.test('CSV with ?partial=true: a row that fails when stored is left out too, the rest stored', async (t) => {
    const csv = header + row('CSV-5', 'WEMWBS,2027-02-10,75,,,,') + row('CSV-6', 'ONS4,2027-02-10,,5,5,5,5')
    const res = await inbound(app, 'crm-outcomes-csv', csv, 'text/csv', '?partial=true')
    t.equal(res.status, 201, JSON.stringify(res.body))
    const rejected = res.body.entry.filter((e: any) => e.response.status.startsWith('400'))
    t.equal(rejected.length, 1)
    t.match(rejected[0].response.outcome.issue[0].details.text, /^row 1 \(line 2\): WEMWBS score 75 is outside/)
    t.same((await observations()).map(o => o.identifier[0].value).sort(), ['CSV-1', 'CSV-2', 'CSV-6', 'ELM-1'])
  })

  await t.test('CSV with broken quoting: 400 naming the line, nothing stored', async (t) => {
    const res = await inbound(app, 'crm-outcomes-csv', header + row('CSV-9', 'ONS4,2027-01-10,,6,7,8,3') + `"CSV-10,${referral.id as string},${NHS},ONS4,2027-01-11,,6,7,8,3\n`, 'text/csv', '?partial=true')
    t.equal(res.status, 400)
    t.match(res.body.issue[0].details.text, /broken quoting: a quote opened in the row starting at line 3 is never closed/)
    t.equal((await observations()).length, 4)
  })

  await t.test('an NHS number of another person than the referral\'s: 422 naming the subject, nothing stored (JSON and CSV)', async (t) => {
    const other = NHS_NUMBERS[4]
    await api.created('Patient', person(other, '1970-07-07'))
    const before = (await observations()).length
    const wrong = await json({ assessmentId: 'ELM-6', instrument: 'WEMWBS', completedOn: '2026-12-01', total: 40, nhsNumber: other })
    t.equal(wrong.status, 422, JSON.stringify(wrong.body))
    const issue = wrong.body.issue[0]
    t.match(issue.details.text, /Observation.subject \(Patient\/[0-9a-f-]+\) is not the person of the referral it is basedOn/)
    t.match(issue.expression, ['Bundle.entry[0].resource.subject'], 'names the element')
    t.match(issue.diagnostics, /produced by rule "subject"/, 'traced to the rule that maps nhsNumber')
    t.notMatch(JSON.stringify(wrong.body), other, 'the answer does not repeat the NHS number')

    const csv = header + row('CSV-20', 'ONS4,2027-03-10,,6,7,8,3') + `CSV-21,${referral.id as string},${other},ONS4,2027-03-10,,6,7,8,3\n`
    const all = await inbound(app, 'crm-outcomes-csv', csv, 'text/csv')
    t.equal(all.status, 422)
    t.match(all.body.issue[0].details.text, /^row 2 \(line 3\): Observation.subject .* is not the person of the referral/)
    t.equal((await observations()).length, before, 'nothing stored')

    const partial = await inbound(app, 'crm-outcomes-csv', csv, 'text/csv', '?partial=true')
    t.equal(partial.status, 201, JSON.stringify(partial.body))
    const rejected = partial.body.entry.filter((e: any) => e.response.status.startsWith('400'))
    t.equal(rejected.length, 1, 'the other person\'s row is left out')
    t.match(rejected[0].response.outcome.issue[0].details.text, /^row 2 \(line 3\): Observation.subject/)
    t.same((await observations()).length, before + 1, 'the good row is stored')
    t.equal(((await api.get(`Observation?subject:Patient.identifier=https://fhir.nhs.uk/Id/nhs-number|${other}`)).body.entry ?? []).length, 0, 'nothing for the other person')
  })

  t.notMatch(logs(), NHS, 'no NHS number in the logs')
})
