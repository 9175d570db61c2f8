/** Outcome Observations per instrument, and QuestionnaireResponses scored into them atomically. */
import { test } from 'tap'
import { buildTestApp, versionCount } from '../helper.js'
import { BASE, client, CS, NHS_NUMBERS, outcome, person, PROFILE, score, SNOMED } from './fixtures.js'

const SWEMWBS = { system: SNOMED, code: '718466001' }
const WEMWBS = { system: SNOMED, code: '718426000' }
const ONS4 = { system: CS('outcome-measure'), code: 'ons4' }
const UCLA3 = { system: CS('outcome-measure'), code: 'ucla3' }
const item = (code: string, value: number): Record<string, unknown> => ({ code: { coding: [{ system: CS('outcome-measure'), code }] }, valueInteger: value })

test('outcome scores: ranges, item counts and totals are checked, with a precise OperationOutcome', async (t) => {
  const { app } = await buildTestApp(t)
  const api = client(app)
  const patient = await api.created('Patient', person(NHS_NUMBERS[0], '1960-01-01'))
  const bad: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['WEMWBS above 70', outcome(WEMWBS, patient.id, score(71)), 'Observation.valueQuantity.value', /71 is outside the valid range 14–70/],
    ['SWEMWBS below 7', outcome(SWEMWBS, patient.id, { valueInteger: 6 }), 'Observation.valueInteger', /outside the valid range 7–35/],
    ['UCLA-3 fractional', outcome(UCLA3, patient.id, score(4.5)), 'Observation.valueQuantity.value', /whole number/],
    ['not a survey', outcome(SWEMWBS, patient.id, score(20), { category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }] }), 'Observation.category', /survey/],
    ['ONS4 with three items', outcome(ONS4, patient.id, { component: [item('ons4-life-satisfaction', 5), item('ons4-worthwhile', 5), item('ons4-happiness', 5)] }), 'Observation.component', /all 4 item components; found 3/],
    ['ONS4 item out of range', outcome(ONS4, patient.id, { component: [item('ons4-life-satisfaction', 11), item('ons4-worthwhile', 5), item('ons4-happiness', 5), item('ons4-anxiety', 5)] }), 'Observation.component[0].valueInteger', /score 11 is outside the valid range 0–10/],
    ['ONS4 with a total', outcome(ONS4, patient.id, { valueInteger: 20, component: [item('ons4-life-satisfaction', 5), item('ons4-worthwhile', 5), item('ons4-happiness', 5), item('ons4-anxiety', 5)] }), 'Observation.value', /no single score/],
    ['UCLA-3 with two of three items', outcome(UCLA3, patient.id, { ...score(5), component: [item('ucla3-item-1', 2), item('ucla3-item-2', 3)] }), 'Observation.component', /all 3 together or not at all; found 2/],
    ['UCLA-3 items not adding up', outcome(UCLA3, patient.id, { ...score(5), component: [item('ucla3-item-1', 2), item('ucla3-item-2', 2), item('ucla3-item-3', 2)] }), 'Observation.valueQuantity.value', /add up to 6, but the score is 5/],
    ['unknown item', outcome(UCLA3, patient.id, { ...score(5), component: [item('ons4-worthwhile', 2)] }), 'Observation.component[0].code', /not an item of UCLA/],
    ['unknown code in the outcome CodeSystem', outcome({ system: CS('outcome-measure'), code: 'happiness-index' }, patient.id, score(5)), 'Observation.code.coding[0].code', /not defined in CodeSystem/],
    ['profile: ONS4 value type', { ...outcome(ONS4, patient.id, { valueString: 'fine' }), meta: { profile: [PROFILE('sp-outcome-ons4')] } }, 'Observation.value', /./]
  ]
  for (const [name, resource, expression, text] of bad) {
    const res = await api.post('Observation', resource)
    t.equal(res.status, 422, name)
    const issue = res.body.issue.find((i: any) => (i.expression ?? []).some((e: string) => e.startsWith(expression)))
    t.ok(issue, `${name}: names ${expression} (got ${JSON.stringify(res.body.issue.map((i: any) => i.expression))})`)
    t.match(issue?.details?.text ?? '', text, `${name}: says why`)
  }
  t.equal(await versionCount(app, 'Observation'), 0, 'nothing stored')

  const good: Array<[string, Record<string, unknown>]> = [
    ['SWEMWBS with metric score', { ...outcome(SWEMWBS, patient.id, { ...score(21), component: [{ code: { coding: [{ system: CS('outcome-measure'), code: 'swemwbs-metric-score' }] }, valueQuantity: { value: 19.25 } }] }), meta: { profile: [PROFILE('sp-outcome-swemwbs')] } }],
    ['WEMWBS total only', outcome(WEMWBS, patient.id, score(52))],
    ['ONS4 four items', { ...outcome(ONS4, patient.id, { component: [item('ons4-life-satisfaction', 6), item('ons4-worthwhile', 7), item('ons4-happiness', 5), item('ons4-anxiety', 3)] }), meta: { profile: [PROFILE('sp-outcome-ons4')] } }],
    ['PAM score and level', outcome({ system: SNOMED, code: '925431000000109' }, patient.id, { ...score(62.4), component: [{ code: { coding: [{ system: SNOMED, code: '962851000000103' }] }, valueInteger: 3 }] })],
    ['EQ-5D-5L index', outcome({ system: SNOMED, code: '736534008' }, patient.id, score(-0.2))],
    ['MYCaW', outcome({ system: CS('outcome-measure'), code: 'mycaw' }, patient.id, { component: [item('mycaw-concern-1', 5), item('mycaw-wellbeing', 3)] })],
    ['Wellbeing Star, two scales', outcome({ system: CS('outcome-measure'), code: 'wellbeing-star' }, patient.id, { component: [item('star-money', 4), item('star-feeling-positive', 6)] })],
    ['De Jong Gierveld', outcome({ system: CS('outcome-measure'), code: 'djg6' }, patient.id, { valueInteger: 2 })]
  ]
  for (const [name, resource] of good) {
    const res = await api.post('Observation', resource)
    t.equal(res.status, 201, `${name}: ${res.status === 201 ? '' : JSON.stringify(res.body)}`)
  }
  const byInstrument = await api.get(`Observation?instrument=${SNOMED}|718466001`)
  t.equal(byInstrument.body.entry.length, 1, 'searchable by instrument')
})

test('a completed QuestionnaireResponse is checked and scored into an Observation with derivedFrom, atomically', async (t) => {
  const { app } = await buildTestApp(t)
  const api = client(app)
  const patient = await api.created('Patient', person(NHS_NUMBERS[1], '1958-09-09'))
  const referral = await api.created('ServiceRequest', { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: `Patient/${patient.id}` }, code: { coding: [{ system: SNOMED, code: '871731000000106' }] } })
  const answer = (code: string): Record<string, unknown> => ({ valueCoding: { system: CS('questionnaire-answer'), code } })
  const response = (questionnaire: string, items: Array<[string, Record<string, unknown>]>, status = 'completed'): Record<string, unknown> => ({
    resourceType: 'QuestionnaireResponse',
    questionnaire: `${BASE}/Questionnaire/${questionnaire}`,
    status,
    subject: { reference: `Patient/${patient.id}` },
    basedOn: [{ reference: `ServiceRequest/${referral.id}` }],
    authored: '2026-03-01T10:00:00Z',
    item: items.map(([linkId, value]) => ({ linkId, answer: [value] }))
  })

  const swemwbsAnswers = ['often', 'some-of-the-time', 'rarely', 'often', 'all-of-the-time', 'some-of-the-time', 'often']
  const swemwbs = await api.post('QuestionnaireResponse', response('swemwbs', swemwbsAnswers.map((code, i) => [`swemwbs-item-${i + 1}`, answer(code)])))
  t.equal(swemwbs.status, 201)
  const scored = (await api.get(`Observation?derived-from=QuestionnaireResponse/${swemwbs.body.id}`)).body.entry
  t.equal(scored.length, 1)
  const observation = scored[0].resource
  t.equal(observation.code.coding[0].code, '718466001')
  t.equal(observation.valueQuantity.value, 4 + 3 + 2 + 4 + 5 + 3 + 4, 'raw total 25')
  t.equal(observation.component.length, 8, 'seven items and the metric score')
  t.equal(observation.component.at(-1).valueQuantity.value, 22.35, 'metric score of 25')
  t.same(observation.basedOn, [{ reference: `ServiceRequest/${referral.id}` }])

  const ons4 = await api.post('QuestionnaireResponse', response('ons4', [['ons4-life-satisfaction', { valueInteger: 7 }], ['ons4-worthwhile', { valueInteger: 8 }], ['ons4-happiness', { valueInteger: 6 }], ['ons4-anxiety', { valueInteger: 2 }]]))
  t.equal(ons4.status, 201)
  const ons4Observation = (await api.get(`Observation?derived-from=QuestionnaireResponse/${ons4.body.id}`)).body.entry[0].resource
  t.same(ons4Observation.component.map((c: any) => c.valueInteger), [7, 8, 6, 2])
  t.notOk('valueQuantity' in ons4Observation, 'ONS4 has no total')

  const djg = await api.post('QuestionnaireResponse', response('djg6', [['djg6-item-1', answer('yes')], ['djg6-item-2', answer('more-or-less')], ['djg6-item-3', answer('no')], ['djg6-item-4', answer('yes')], ['djg6-item-5', answer('no')], ['djg6-item-6', answer('more-or-less')]]))
  t.equal(djg.status, 201)
  const djgObservation = (await api.get(`Observation?derived-from=QuestionnaireResponse/${djg.body.id}`)).body.entry[0].resource
  t.equal(djgObservation.valueQuantity.value, 4)
  const sub = (code: string): number => djgObservation.component.find((c: any) => c.code.coding[0].code === code).valueInteger
  t.equal(sub('djg6-emotional'), 2)
  t.equal(sub('djg6-social'), 2)

  const ucla = await api.post('QuestionnaireResponse', response('ucla3', [['ucla3-item-1', answer('often')], ['ucla3-item-2', answer('often')], ['ucla3-item-3', answer('hardly-ever')]]))
  t.equal(ucla.status, 201)
  t.equal((await api.get(`Observation?derived-from=QuestionnaireResponse/${ucla.body.id}`)).body.entry[0].resource.valueQuantity.value, 7)

  const before = { responses: await versionCount(app, 'QuestionnaireResponse'), observations: await versionCount(app, 'Observation') }
  const bad: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['missing required item', response('ucla3', [['ucla3-item-1', answer('often')], ['ucla3-item-2', answer('often')]]), 'QuestionnaireResponse.item', /"ucla3-item-3".*required/],
    ['answer out of range', response('ons4', [['ons4-life-satisfaction', { valueInteger: 11 }], ['ons4-worthwhile', { valueInteger: 8 }], ['ons4-happiness', { valueInteger: 6 }], ['ons4-anxiety', { valueInteger: 2 }]]), 'QuestionnaireResponse.item[0].answer[0]', /11 is outside 0–10/],
    ['wrong answer type', response('ons4', [['ons4-life-satisfaction', { valueString: 'seven' }]], 'in-progress'), 'QuestionnaireResponse.item[0].answer[0]', /valueInteger/],
    ['not an answer option', response('ucla3', [['ucla3-item-1', answer('yes')], ['ucla3-item-2', answer('often')], ['ucla3-item-3', answer('often')]]), 'QuestionnaireResponse.item[0].answer[0]', /not one of its answer options/],
    ['unknown linkId', response('ucla3', [['ucla3-item-9', answer('often')]], 'in-progress'), 'QuestionnaireResponse.item[0].linkId', /not an item/]
  ]
  for (const [name, resource, expression, text] of bad) {
    const res = await api.post('QuestionnaireResponse', resource)
    t.equal(res.status, 422, name)
    const issue = res.body.issue.find((i: any) => (i.expression ?? []).includes(expression))
    t.ok(issue, `${name}: names ${expression} (got ${JSON.stringify(res.body.issue.map((i: any) => i.expression))})`)
    t.match(issue?.details?.text ?? '', text, name)
  }
  t.equal(await versionCount(app, 'QuestionnaireResponse'), before.responses, 'no bad response stored')
  t.equal(await versionCount(app, 'Observation'), before.observations, 'and no score')

  // In progress: stored, not scored; completing it later scores it, in the same transaction.
  const draft = await api.post('QuestionnaireResponse', response('ucla3', [['ucla3-item-1', answer('some-of-the-time')]], 'in-progress'))
  t.equal(draft.status, 201, JSON.stringify(draft.body))
  t.equal((await api.get(`Observation?derived-from=QuestionnaireResponse/${draft.body.id}`)).body.entry?.length ?? 0, 0, 'an in-progress response is not scored')
  const completed = await api.put('QuestionnaireResponse', { ...draft.body, status: 'completed', item: [['ucla3-item-1', 'some-of-the-time'], ['ucla3-item-2', 'often'], ['ucla3-item-3', 'often']].map(([linkId, code]) => ({ linkId, answer: [answer(code as string)] })) })
  t.equal(completed.status, 200)
  t.equal((await api.get(`Observation?derived-from=QuestionnaireResponse/${draft.body.id}`)).body.entry[0].resource.valueQuantity.value, 8)
})
