/**
 * SC-18 (domain.md §11): an ICS dashboard aggregates mixed-quality participant profiles from
 * three PCNs through Measure/sp-participant-profile/$evaluate-measure. Its own app: the figures
 * count every referral in the store, so no other scenario's data may be there.
 * test/dashboard/imd-sample.csv holds made-up deciles for three postcodes (not real IMD values).
 */
import { test } from 'tap'
import { buildTestApp, FHIR, FHIR_JSON, temporaryDirectory } from '../helper.js'
import { client, CS, longTermCondition, NHS_NUMBERS, organisation, person, spReferral } from '../workflow/fixtures.js'

const ETHNIC = (code: string): Record<string, unknown> => ({
  url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory',
  valueCodeableConcept: { coding: [{ system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland', code }] }
})
const home = (postalCode: string): Record<string, unknown> => ({ address: [{ use: 'home', postalCode }] })
const POPULATION = 'population=0-17:20000&population=18-39:30000&population=40-64:40000&population=65%2B:25000'

function stratum (report: any, group: string, stratifier: string, code: string): { numerator: number, denominator?: number, score?: number } {
  const found = report.group.find((g: any) => g.code.coding[0].code === group)
    .stratifier.find((s: any) => s.code[0].coding[0].code === stratifier)
    .stratum.find((s: any) => s.value.coding[0].code === code)
  const count = (name: string): number | undefined => found.population.find((p: any) => p.code.coding[0].code === name)?.count
  return { numerator: count('numerator') as number, denominator: count('denominator'), score: found.measureScore?.value }
}

test('SC-18 ICS dashboard aggregation from mixed-quality profiles', async (t) => {
  const { app } = await buildTestApp(t, { IMD_LOOKUP_FILE: 'test/dashboard/imd-sample.csv' })
  const api = client(app)
  const pcn = await Promise.all(['North PCN', 'East PCN', 'South PCN'].map(async name => (await api.created('Organization', organisation(name))).id as string))
  let n = 0
  const personWith = async (birthDate: string, extra: Record<string, unknown>): Promise<string> =>
    (await api.created('Patient', person(NHS_NUMBERS[n++] as string, birthDate, extra))).id as string
  const refer = async (patientId: string, pcnIndex: number, authoredOn: string, reasons: string[] = ['loneliness-or-social-isolation'], code?: { system: string, code: string }): Promise<void> => {
    await api.created('ServiceRequest', spReferral(patientId, { requester: `Organization/${pcn[pcnIndex] as string}`, authoredOn, reasons, ...(code === undefined ? {} : { code }) }))
  }

  // North PCN: full postcodes.
  const p1 = await personWith('1950-03-14', { gender: 'female', extension: [ETHNIC('A')], ...home('LS1 4AP') })
  await refer(p1, 0, '2026-03-01T10:00:00Z')
  await api.created('Condition', longTermCondition(p1, 'diabetes'))
  await refer(p1, 0, '2026-03-20T10:00:00Z', ['loneliness-or-social-isolation'], { system: CS('activity-category'), code: 'arts-and-culture' }) // onward: not a new referral to the service
  const p2 = await personWith('1990-06-01', { gender: 'male', extension: [ETHNIC('H')], ...home('ls29ab') })
  await refer(p2, 0, '2026-02-01T10:00:00Z', ['anxiety-or-depression'])
  const p3 = await personWith('2010-01-10', { gender: 'female', extension: [ETHNIC('Z')], ...home('LS6 1AN') }) // full, not in the lookup
  await refer(p3, 0, '2026-02-01T10:00:00Z')
  // East PCN: first part of the postcode only.
  const p4 = await personWith('1960', { gender: 'other', ...home('BD7') })
  await refer(p4, 1, '2026-04-01T10:00:00Z')
  await refer(p4, 1, '2026-05-01T10:00:00Z') // re-referral: a second referral, the same person
  await api.created('Condition', { ...longTermCondition(p4, 'asthma'), clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] } })
  const p5 = await personWith('1985-12-31', { gender: 'female', extension: [ETHNIC('M')], ...home('BD10') })
  await refer(p5, 1, '2026-02-01T10:00:00Z')
  // South PCN: no ethnicity, no postcode.
  const p6 = await personWith('1940-01-01', { gender: 'unknown' })
  await refer(p6, 2, '2026-07-01T10:00:00Z')
  const p7 = await personWith('1975-05-05', { extension: [ETHNIC('S')] })
  await refer(p7, 2, '2026-06-01T10:00:00Z')
  // Outside the period: not counted.
  const p8 = await personWith('1980-01-01', { gender: 'male', ...home('BD7 1DP') })
  await refer(p8, 2, '2025-06-01T10:00:00Z')

  const res = await app.inject({ method: 'GET', url: `${FHIR}/Measure/sp-participant-profile/$evaluate-measure?periodStart=2026-01-01&periodEnd=2026-12-31&${POPULATION}` })
  t.equal(res.statusCode, 200, res.body)
  const report = res.json()
  t.match(report, { resourceType: 'MeasureReport', status: 'complete', type: 'summary', measure: 'https://fhir.socialprescribing.example/Measure/sp-participant-profile', period: { start: '2026-01-01', end: '2026-12-31' } })
  t.equal(report.group[0].population[0].count, 7, 'seven people referred in the period (the 2025 referral is outside)')
  t.equal(report.group[1].population[0].count, 8, 'eight referrals: the re-referral counts, the onward referral does not')

  t.test('IMD decile from full postcodes only', async (t) => {
    t.same(stratum(report, 'participants', 'imd-decile', '1'), { numerator: 1, denominator: 2, score: 0.5 }, 'LS2 9AB, written ls29ab, is normalised and found')
    t.same(stratum(report, 'participants', 'imd-decile', '2'), { numerator: 1, denominator: 2, score: 0.5 })
    t.same(stratum(report, 'participants', 'imd-decile', '4'), { numerator: 0, denominator: 2, score: 0 }, 'the out-of-period person is not counted')
    t.same(stratum(report, 'participants', 'imd-decile', 'not-derivable'), { numerator: 5, denominator: 7, score: 0.7143 }, 'partial, missing and unlisted postcodes are not derivable')
  })

  t.test('ages re-banded to TCF and Observatory bands', async (t) => {
    const tcf = Object.fromEntries(['0-15', '16-24', '25-49', '50-59', '60-69', '70-79', '80-89', '90+'].map(code => [code, stratum(report, 'participants', 'tcf-age-band', code).numerator]))
    t.same(tcf, { '0-15': 0, '16-24': 1, '25-49': 2, '50-59': 1, '60-69': 1, '70-79': 1, '80-89': 1, '90+': 0 })
    const observatory = Object.fromEntries(['0-17', '18-39', '40-64', '65+'].map(code => [code, stratum(report, 'participants', 'observatory-age-band', code).numerator]))
    t.same(observatory, { '0-17': 1, '18-39': 1, '40-64': 2, '65+': 3 }, 'a year-only birth date (1960) is taken as mid-year: 65 in April 2026')
  })

  t.test('referral rate per 10,000 population by age band', async (t) => {
    t.same(stratum(report, 'referral-rate', 'observatory-age-band', '0-17'), { numerator: 1, denominator: 20000, score: 0.5 })
    t.same(stratum(report, 'referral-rate', 'observatory-age-band', '18-39'), { numerator: 1, denominator: 30000, score: 0.33 })
    t.same(stratum(report, 'referral-rate', 'observatory-age-band', '40-64'), { numerator: 2, denominator: 40000, score: 0.5 })
    t.same(stratum(report, 'referral-rate', 'observatory-age-band', '65+'), { numerator: 4, denominator: 25000, score: 1.6 })
  })

  t.test('shares carry explicit denominators', async (t) => {
    t.same(stratum(report, 'participants', 'gender', 'female'), { numerator: 3, denominator: 6, score: 0.5 }, 'share of people with gender recorded')
    t.same(stratum(report, 'participants', 'gender', 'preferred-not-to-identify'), { numerator: 1, denominator: 6, score: 0.1667 })
    t.same(stratum(report, 'participants', 'gender', 'not-recorded'), { numerator: 1, denominator: 7, score: 0.1429 }, 'not recorded is a share of everyone')
    t.same(stratum(report, 'participants', 'ethnicity', 'preferred-not-to-identify'), { numerator: 1, denominator: 5, score: 0.2 }, '"Not stated" (Z) is a recorded answer')
    t.same(stratum(report, 'participants', 'ethnicity', 'not-recorded'), { numerator: 2, denominator: 7, score: 0.2857 })
    t.same(stratum(report, 'participants', 'long-term-condition', 'yes'), { numerator: 1, denominator: 7, score: 0.1429 }, 'a resolved condition does not count')
    t.same(stratum(report, 'participants', 'mental-health-need', 'yes'), { numerator: 1, denominator: 7, score: 0.1429 })
  })

  t.test('without populations the rates are left out, counts stay', async (t) => {
    const plain = (await app.inject({ method: 'POST', url: `${FHIR}/Measure/sp-participant-profile/$evaluate-measure`, headers: FHIR_JSON, payload: { resourceType: 'Parameters', parameter: [{ name: 'periodStart', valueDate: '2026-01-01' }, { name: 'periodEnd', valueDate: '2026-12-31' }] } })).json()
    t.same(stratum(plain, 'referral-rate', 'observatory-age-band', '65+'), { numerator: 4, denominator: undefined, score: undefined })
  })

  t.test('the Measure is published and the operation is in the CapabilityStatement', async (t) => {
    t.equal((await api.get('Measure/sp-participant-profile')).status, 200)
    const measure = (await api.get('metadata')).body.rest[0].resource.find((r: any) => r.type === 'Measure')
    t.ok(measure.operation.some((o: any) => o.name === 'evaluate-measure'))
  })

  t.test('bad input is a 4xx OperationOutcome naming the problem', async (t) => {
    const cases: Array<[string, number, string]> = [
      ['periodEnd=2026-12-31', 400, 'periodStart'],
      ['periodStart=2026-13-01&periodEnd=2026-12-31', 400, 'periodStart'],
      ['periodStart=2026-12-31&periodEnd=2026-01-01', 400, 'periodEnd'],
      ['periodStart=2026-01-01&periodEnd=2026-12-31&population=30-50:100', 400, 'population'],
      ['periodStart=2026-01-01&periodEnd=2026-12-31&population=65%2B:lots', 400, 'population'],
      ['periodStart=2026-01-01&periodEnd=2026-12-31&reportType=individual', 400, 'reportType'],
      ['periodStart=2026-01-01&periodEnd=2026-12-31&subject=Patient/1', 400, 'subject']
    ]
    for (const [query, status, named] of cases) {
      const bad = await app.inject({ method: 'GET', url: `${FHIR}/Measure/sp-participant-profile/$evaluate-measure?${query}` })
      t.equal(bad.statusCode, status, query)
      t.equal(bad.json().resourceType, 'OperationOutcome')
      t.match(bad.json().issue[0].diagnostics ?? bad.json().issue[0].details?.text, named, `${query} names ${named}`)
    }
    const unknown = await app.inject({ method: 'GET', url: `${FHIR}/Measure/no-such-measure/$evaluate-measure?periodStart=2026-01-01&periodEnd=2026-12-31` })
    t.equal(unknown.statusCode, 404)
  })
})

test('a malformed IMD lookup file stops start-up, naming the line', async (t) => {
  const { writeFile } = await import('node:fs/promises')
  const { join } = await import('node:path')
  const file = join(await temporaryDirectory(t, 'imd-'), 'imd.csv')
  await writeFile(file, 'postcode,imd_decile\nLS1 4AP,2\nLS1,11\n')
  await t.rejects(buildTestApp(t, { IMD_LOOKUP_FILE: file }), /imd\.csv line 3/)
})
