/** $expand, $lookup, $validate-code, conformance resources served by the API, held codes enforced. */
import { test } from 'tap'
import { buildTestApp, FHIR, FHIR_JSON, versionCount } from '../helper.js'

const BASE = 'https://fhir.socialprescribing.example'
const NEEDS = `${BASE}/ValueSet/sp-needs`
const REASON = `${BASE}/CodeSystem/referral-reason`
const SNOMED = 'http://snomed.info/sct'

test('terminology operations', async (t) => {
  const { app } = await buildTestApp(t)
  const get = async (url: string): Promise<{ status: number, body: any }> => {
    const res = await app.inject({ method: 'GET', url: `${FHIR}/${url}` })
    return { status: res.statusCode, body: res.json() }
  }
  const param = (body: any, name: string): any => body.parameter.find((p: any) => p.name === name)

  const expanded = await get(`ValueSet/$expand?url=${encodeURIComponent(NEEDS)}`)
  t.equal(expanded.status, 200)
  t.equal(expanded.body.resourceType, 'ValueSet')
  const codes = expanded.body.expansion.contains.map((c: any) => c.code)
  for (const code of ['loneliness-or-social-isolation', 'anxiety-or-depression', 'substance-misuse', 'domestic-abuse', 'unemployed', 'homelessness', 'other', 'money-or-debt', 'housing', 'physical-activity', 'carer-support', 'long-term-condition-self-management', '422650009']) {
    t.ok(codes.includes(code), `sp-needs holds ${code}`)
  }
  t.equal(expanded.body.expansion.total, codes.length)

  const filtered = await get(`ValueSet/sp-needs/$expand?filter=LONELI`)
  t.same(filtered.body.expansion.contains.map((c: any) => c.code), ['loneliness-or-social-isolation'], 'filter matches display, case-insensitively')
  const paged = await get(`ValueSet/$expand?url=${encodeURIComponent(`${BASE}/ValueSet/journey-state`)}&offset=2&count=3`)
  t.equal(paged.body.expansion.contains.length, 3)
  t.equal(paged.body.expansion.offset, 2)
  t.ok(paged.body.expansion.total > 10)

  const unknown = await get(`ValueSet/$expand?url=${encodeURIComponent(`${BASE}/ValueSet/nope`)}`)
  t.equal(unknown.status, 404)
  t.equal(unknown.body.resourceType, 'OperationOutcome')
  t.equal((await get('ValueSet/$expand')).status, 400, 'no url')
  t.equal((await get(`ValueSet/$expand?url=${encodeURIComponent(NEEDS)}&count=-1`)).status, 400, 'bad count')

  const lookup = await get(`CodeSystem/$lookup?system=${encodeURIComponent(REASON)}&code=homelessness`)
  t.equal(lookup.status, 200)
  t.equal(param(lookup.body, 'display').valueString, 'Homelessness')
  t.equal(param(lookup.body, 'name').valueString, 'Socialprescribingneed')
  t.equal((await get(`CodeSystem/$lookup?system=${encodeURIComponent(REASON)}&code=nope`)).status, 404)
  t.equal((await get(`CodeSystem/$lookup?system=http://example.org/x&code=a`)).status, 404)
  t.equal((await get(`CodeSystem/$lookup?system=${encodeURIComponent(REASON)}`)).status, 400)

  const valid = await get(`ValueSet/$validate-code?url=${encodeURIComponent(NEEDS)}&system=${SNOMED}&code=422650009`)
  t.equal(param(valid.body, 'result').valueBoolean, true)
  t.equal(param(valid.body, 'display').valueString, 'Social isolation')
  const invalid = await get(`ValueSet/$validate-code?url=${encodeURIComponent(NEEDS)}&system=${SNOMED}&code=73211009`)
  t.equal(invalid.status, 200)
  t.equal(param(invalid.body, 'result').valueBoolean, false)
  t.match(param(invalid.body, 'message').valueString, /73211009 is not in the value set/)
  const wrongDisplay = await get(`ValueSet/sp-needs/$validate-code?system=${encodeURIComponent(REASON)}&code=housing&display=Houses`)
  t.equal(param(wrongDisplay.body, 'result').valueBoolean, false)

  const posted = await app.inject({
    method: 'POST',
    url: `${FHIR}/ValueSet/$validate-code`,
    headers: FHIR_JSON,
    payload: { resourceType: 'Parameters', parameter: [{ name: 'url', valueUri: NEEDS }, { name: 'codeableConcept', valueCodeableConcept: { coding: [{ system: 'http://example.org', code: 'x' }, { system: REASON, code: 'unemployed' }] } }] }
  })
  t.equal(posted.statusCode, 200)
  t.equal(param(posted.json(), 'result').valueBoolean, true, 'any coding of a CodeableConcept will do')
  const notParameters = await app.inject({ method: 'POST', url: `${FHIR}/ValueSet/$expand`, headers: FHIR_JSON, payload: { resourceType: 'Patient' } })
  t.equal(notParameters.statusCode, 400)

  const inSystem = await get(`CodeSystem/$validate-code?url=${encodeURIComponent(REASON)}&code=housing`)
  t.equal(param(inSystem.body, 'result').valueBoolean, true)
  const verification = await get(`CodeSystem/$validate-code?url=${encodeURIComponent('https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatus')}&code=number-present-and-verified`)
  t.equal(param(verification.body, 'result').valueBoolean, true, 'the retired verification system is held')
})

test('conformance resources are served by the FHIR API and listed in the CapabilityStatement', async (t) => {
  const { app } = await buildTestApp(t)
  const search = async (url: string): Promise<any> => (await app.inject({ method: 'GET', url: `${FHIR}/${url}` })).json()
  const referralProfile = await search(`StructureDefinition?url=${encodeURIComponent(`${BASE}/StructureDefinition/sp-referral`)}`)
  t.equal(referralProfile.entry.length, 1)
  t.equal(referralProfile.entry[0].resource.type, 'ServiceRequest')
  t.ok(referralProfile.entry[0].resource.snapshot.element.length > 10, 'with its snapshot')
  t.equal((await search(`ValueSet?url=${encodeURIComponent(NEEDS)}`)).entry.length, 1)
  t.equal((await search(`CodeSystem?url=${encodeURIComponent(REASON)}`)).entry.length, 1)
  t.equal((await search('Questionnaire?name=SWEMWBS')).entry.length, 1)
  t.equal((await search('SearchParameter?code=referral-route')).entry.length, 1)
  const read = await app.inject({ method: 'GET', url: `${FHIR}/StructureDefinition/sp-referral-task` })
  t.equal(read.statusCode, 200)

  const metadata = await search('metadata')
  const resource = (type: string): any => metadata.rest[0].resource.find((r: any) => r.type === type)
  t.same(resource('ValueSet').operation.map((o: any) => o.name), ['expand', 'validate-code'])
  t.same(resource('CodeSystem').operation.map((o: any) => o.name), ['lookup', 'validate-code'])
  t.ok(resource('ServiceRequest').supportedProfile.includes(`${BASE}/StructureDefinition/sp-referral`))
  t.ok(resource('Observation').supportedProfile.includes(`${BASE}/StructureDefinition/sp-outcome-swemwbs`))
  t.ok(resource('ServiceRequest').searchParam.some((p: any) => p.name === 'referral-route'))
  t.ok(resource('Observation').searchParam.some((p: any) => p.name === 'instrument'))
  t.ok(resource('Task').searchParam.some((p: any) => p.name === 'business-status'))
})

test('codes of the CodeSystems we hold must exist; other systems are not checked', async (t) => {
  const { app } = await buildTestApp(t)
  const task = (code: string): Record<string, unknown> => ({
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    businessStatus: { coding: [{ system: `${BASE}/CodeSystem/journey-state`, code }] },
    for: { reference: 'Patient/p1' }
  })
  const bad = await app.inject({ method: 'POST', url: `${FHIR}/Task`, headers: FHIR_JSON, payload: task('daydreaming') })
  t.equal(bad.statusCode, 422)
  t.same(bad.json().issue[0].expression, ['Task.businessStatus.coding[0].code'])
  t.match(bad.json().issue[0].details.text, /"daydreaming" is not defined in CodeSystem/)
  t.equal((await app.inject({ method: 'POST', url: `${FHIR}/Task`, headers: FHIR_JSON, payload: task('contacted') })).statusCode, 201)
  const foreign = { ...task('contacted'), businessStatus: { coding: [{ system: 'http://example.org/states', code: 'anything' }] } }
  t.equal((await app.inject({ method: 'POST', url: `${FHIR}/Task`, headers: FHIR_JSON, payload: foreign })).statusCode, 201)
  t.equal(await versionCount(app, 'Task'), 2)
})
