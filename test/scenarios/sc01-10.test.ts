/**
 * Scenarios SC-01 … SC-10 of domain.md §11, end to end through the HTTP API. Each asserts the
 * resources, states and reasons the scenario describes; dashboard counts are asserted as the
 * FHIR searches a dashboard would run (no dashboard exists yet).
 */
import { test } from 'tap'
import { buildTestApp } from '../helper.js'
import { BASE, consent, CS, longTermCondition, outcome, PROFILE, reason, score, SNOMED } from '../workflow/fixtures.js'
import { activity, buildDirectory, newPerson, refer, work } from './directory.js'

const SWEMWBS = { system: SNOMED, code: '718466001' }
const ONS4 = { system: CS('outcome-measure'), code: 'ons4' }
const ons4 = (values: [number, number, number, number]): Record<string, unknown> => ({
  component: ['ons4-life-satisfaction', 'ons4-worthwhile', 'ons4-happiness', 'ons4-anxiety'].map((code, i) => ({ code: { coding: [{ system: CS('outcome-measure'), code }] }, valueInteger: values[i] }))
})

test('domain.md §11 scenarios SC-01 to SC-10', async (t) => {
  const { app } = await buildTestApp(t)
  const { api, org, service } = await buildDirectory(app)

  await t.test('SC-01 Thrive NEL: COPD and loneliness, retained at 12 months, wellbeing improved', async (t) => {
    const patient = await newPerson(api, '1961-09-01') // 64 at referral
    const copd = await api.created('Condition', longTermCondition(patient.id, 'copd'))
    const referral = await refer(api, patient.id, {
      performer: `HealthcareService/${service.thrive}`, requester: `Organization/${org.practice}`, reasons: ['loneliness-or-social-isolation'], route: 'gp-practice',
      extra: { supportingInfo: [{ reference: `Condition/${copd.id}` }] }
    })
    let linkWorker = await work(api, referral.id, patient.id, org.centre4 as string, [['accepted', 'contacted'], ['in-progress', 'initial-appointment']])
    t.equal(linkWorker.status, 'in-progress', 'eligible (18–75, COPD) and started')
    const baseline = await api.created('Observation', { ...outcome(ONS4, patient.id, ons4([3, 4, 3, 7])), basedOn: [{ reference: `ServiceRequest/${referral.id}` }], effectiveDateTime: '2026-01-20T10:00:00Z' })
    linkWorker = (await api.put('Task', { ...linkWorker, businessStatus: { coding: [{ system: CS('journey-state'), code: 'plan-agreed' }] } })).body
    for (const [kind, provider] of [['physical-activity', org.walking], ['financial-wellbeing', org.money]] as const) {
      const child = await refer(api, patient.id, { basedOn: `ServiceRequest/${referral.id}`, code: activity(kind), performer: `Organization/${provider}` })
      await work(api, child.id, patient.id, provider as string, [['accepted', 'attending'], ['in-progress', 'engaged-regularly']])
    }
    linkWorker = (await api.put('Task', { ...linkWorker, businessStatus: { coding: [{ system: CS('journey-state'), code: 'review-12m' }] } })).body
    await api.created('Observation', { ...outcome(ONS4, patient.id, ons4([7, 7, 6, 3])), basedOn: [{ reference: `ServiceRequest/${referral.id}` }], effectiveDateTime: '2027-01-22T10:00:00Z', derivedFrom: [{ reference: `Observation/${baseline.id}` }] })

    const starts = await api.get(`Task?focus=ServiceRequest/${referral.id}&status=in-progress,completed`)
    t.equal(starts.body.entry.length, 1, '1 start')
    const retained = await api.get(`Task?business-status=${encodeURIComponent(CS('journey-state'))}|review-12m&focus=ServiceRequest/${referral.id}`)
    t.equal(retained.body.entry.length, 1, 'still in programme at the 12-month review')
    t.equal((await api.get(`ServiceRequest/${referral.id}`)).body.status, 'active')
    t.equal((await api.get(`ServiceRequest?based-on=ServiceRequest/${referral.id}`)).body.entry.length, 2, 'two onward referrals')
    const scores = (await api.get(`Observation?based-on=ServiceRequest/${referral.id}&_sort=date`)).body.entry.map((e: any) => e.resource.component[0].valueInteger)
    t.ok(scores[1] > scores[0], 'life satisfaction improved: 1 improved-wellbeing outcome')
  })

  await t.test('SC-02 Thrive NEL eligibility boundaries', async (t) => {
    const cases: Array<[string, string, string, string | undefined]> = [
      ['76 with hypertension', '1949-06-01', 'hypertension', 'age-out-of-range'],
      ['45 with no qualifying LTC', '1980-06-01', 'fibromyalgia', 'no-qualifying-condition'],
      ['18 with asthma', '2007-12-01', 'asthma', undefined],
      ['75 with diabetes (boundaries inclusive)', '1950-06-01', 'diabetes', undefined]
    ]
    const referrals: string[] = []
    for (const [name, birthDate, condition, expected] of cases) {
      const patient = await newPerson(api, birthDate)
      await api.created('Condition', longTermCondition(patient.id, condition))
      const referral = await refer(api, patient.id, { performer: `HealthcareService/${service.thrive}` })
      referrals.push(referral.id)
      const task = await work(api, referral.id, patient.id, org.centre4 as string, [])
      t.equal(task.status, expected === undefined ? 'requested' : 'rejected', name)
      if (expected !== undefined) t.equal(task.statusReason.coding[0].code, expected, `${name}: reason ${expected}`)
      if (expected === undefined) await api.put('Task', { ...task, status: 'accepted' })
    }
    const focus = referrals.map(id => `ServiceRequest/${id}`).join(',')
    t.equal((await api.get(`Task?focus=${focus}&status=accepted`)).body.entry.length, 2, 'rejected referrals are not starts')
    const reasons = await api.get(`Task?focus=${focus}&status=rejected`)
    t.same(reasons.body.entry.map((e: any) => e.resource.statusReason.coding[0].code).sort(), ['age-out-of-range', 'no-qualifying-condition'], 'reasons reportable')
  })

  const checkpoint = async (patientId: string, referralId: string, value: number, at: string, baselineId?: string): Promise<any> =>
    await api.created('Observation', {
      ...outcome(SWEMWBS, patientId, score(value)), basedOn: [{ reference: `ServiceRequest/${referralId}` }], effectiveDateTime: at,
      ...(baselineId === undefined ? {} : { derivedFrom: [{ reference: `Observation/${baselineId}` }] })
    })

  await t.test('SC-03 SPRING: improved at both the 6- and 12-month checks', async (t) => {
    const patient = await newPerson(api, '1966-04-04')
    await api.created('Condition', longTermCondition(patient.id, 'diabetes'))
    const referral = await refer(api, patient.id, { performer: `HealthcareService/${service.spring}`, route: 'gp-practice' })
    let task = await work(api, referral.id, patient.id, org.ageUk as string, [['accepted', 'contacted'], ['in-progress', 'plan-agreed']])
    const baseline = await checkpoint(patient.id, referral.id, 18, '2026-01-20T10:00:00Z')
    const cookery = await refer(api, patient.id, { basedOn: `ServiceRequest/${referral.id}`, code: activity('health-and-care') })
    t.ok(cookery.id, 'cookery course onward referral')
    task = (await api.put('Task', { ...task, businessStatus: { coding: [{ system: CS('journey-state'), code: 'review-6m' }] } })).body
    await checkpoint(patient.id, referral.id, 22, '2026-07-20T10:00:00Z', baseline.id)
    await api.put('Task', { ...task, businessStatus: { coding: [{ system: CS('journey-state'), code: 'review-12m' }] } })
    await checkpoint(patient.id, referral.id, 25, '2027-01-20T10:00:00Z', baseline.id)
    const series = (await api.get(`Observation?based-on=ServiceRequest/${referral.id}&code=${SNOMED}|718466001&_sort=date`)).body.entry.map((e: any) => e.resource.valueQuantity.value)
    t.same(series, [18, 22, 25])
    t.ok(series[1] > series[0] && series[2] > series[0], 'improved at the 6-month and the 12-month check')
    const followUps = await api.get(`Observation?derived-from=Observation/${baseline.id}`)
    t.equal(followUps.body.entry.length, 2, 'follow-ups point at their baseline for paired analysis')
  })

  await t.test('SC-04 SPRING carer: not improved at 6 months, plan amended, improved at 12', async (t) => {
    const patient = await newPerson(api, '1970-10-10')
    await api.created('Condition', longTermCondition(patient.id, 'hypertension'))
    const referral = await refer(api, patient.id, { performer: `HealthcareService/${service.spring}`, reasons: ['carer-support'] })
    const task = await work(api, referral.id, patient.id, org.carers as string, [['accepted', 'contacted'], ['in-progress', 'plan-agreed'], ['in-progress', 'review-6m']])
    const baseline = await checkpoint(patient.id, referral.id, 20, '2026-01-20T10:00:00Z')
    await checkpoint(patient.id, referral.id, 19, '2026-07-20T10:00:00Z', baseline.id)
    const amended = (await api.put('Task', { ...task, businessStatus: { coding: [{ system: CS('journey-state'), code: 'plan-agreed' }] } })).body
    t.equal(amended.meta.versionId, '5', 'plan amendment kept in the Task history')
    await api.put('Task', { ...amended, businessStatus: { coding: [{ system: CS('journey-state'), code: 'review-12m' }] } })
    await checkpoint(patient.id, referral.id, 24, '2027-01-20T10:00:00Z', baseline.id)
    const series = (await api.get(`Observation?based-on=ServiceRequest/${referral.id}&_sort=date`)).body.entry.map((e: any) => e.resource.valueQuantity.value)
    t.ok(series[1] <= series[0], 'not improved at 6 months')
    t.ok(series[2] > series[0], 'improved at 12 months')
    const history = (await api.get(`Task/${task.id}/_history`)).body.entry.map((e: any) => e.resource.businessStatus?.coding[0].code)
    t.ok(history.includes('review-6m') && history.includes('plan-agreed') && history.includes('review-12m'))
  })

  await t.test('SC-05 Ways to Wellness: Wellbeing Star improvement; a 39-year-old is rejected on age', async (t) => {
    const star = { system: CS('outcome-measure'), code: 'wellbeing-star' }
    const patient = await newPerson(api, '1973-05-05') // 52
    const referral = await refer(api, patient.id, { performer: `HealthcareService/${service.wtw}`, reasons: ['long-term-condition-self-management'] })
    await work(api, referral.id, patient.id, org.wtw as string, [['accepted'], ['in-progress', 'plan-agreed']])
    const baseline = await api.created('Observation', { ...outcome(star, patient.id, { valueInteger: 38 }), basedOn: [{ reference: `ServiceRequest/${referral.id}` }] })
    const later = await api.created('Observation', { ...outcome(star, patient.id, { valueInteger: 42 }), basedOn: [{ reference: `ServiceRequest/${referral.id}` }], effectiveDateTime: '2026-09-01T10:00:00Z', derivedFrom: [{ reference: `Observation/${baseline.id}` }] })
    t.ok(later.valueInteger - baseline.valueInteger > 1.5, 'improvement above the 1.5 target: the wellbeing (30%) outcome is triggered')
    const overRange = await api.post('Observation', outcome(star, patient.id, { valueInteger: 81 }))
    t.equal(overRange.status, 422, 'Wellbeing Star totals stay within 8–80')
    const young = await newPerson(api, '1986-06-01') // 39
    const referral2 = await refer(api, young.id, { performer: `HealthcareService/${service.wtw}` })
    const task = await work(api, referral2.id, young.id, org.wtw as string, [])
    t.equal(task.status, 'rejected')
    t.equal(task.statusReason.coding[0].code, 'age-out-of-range')
  })

  await t.test('SC-06 Mr P: one referral, four onward referrals, counselling withdrawn, closed after 12 weeks', async (t) => {
    const patient = await newPerson(api, '1942-02-02')
    await api.created('Condition', longTermCondition(patient.id, 'copd'))
    const referral = await refer(api, patient.id, { reasons: ['loneliness-or-social-isolation', 'anxiety-or-depression'], route: 'gp-practice', performer: `Organization/${org.timeToShine}` })
    const coordinator = await work(api, referral.id, patient.id, org.timeToShine as string, [['accepted', 'contacted'], ['in-progress', 'plan-agreed']])
    const plan: Array<[string, string, string]> = [['social-group', 'menGroup', 'completed'], ['advice-and-practical-support', 'money', 'completed'], ['advice-and-practical-support', 'careRepair', 'completed'], ['mental-health-support', 'counselling', 'withdrawn']]
    const children: string[] = []
    for (const [kind, provider, end] of plan) {
      const child = await refer(api, patient.id, { basedOn: `ServiceRequest/${referral.id}`, code: activity(kind), performer: `Organization/${org[provider] as string}` })
      children.push(child.id)
      if (end === 'completed') {
        await work(api, child.id, patient.id, org[provider] as string, [['accepted'], ['in-progress'], ['completed', 'activity-completed']])
      } else {
        await work(api, child.id, patient.id, org[provider] as string, [['accepted', 'waitlisted'], ['on-hold', 'waitlisted', { statusReason: reason('waiting-list', 'On the counselling waiting list') }], ['cancelled', undefined, { statusReason: reason('no-longer-required', 'No longer needed') }]])
      }
    }
    const childStates = await Promise.all(children.map(async id => (await api.get(`ServiceRequest/${id}`)).body))
    t.same(childStates.map(c => c.status), ['completed', 'completed', 'completed', 'revoked'], 'children follow their tasks')
    t.equal(childStates[3].extension.find((e: any) => e.url === PROFILE('status-reason')).valueCodeableConcept.coding[0].code, 'no-longer-required')
    const outputs = [['home-visits', 8], ['phone-calls', 20], ['staff-hours', 15]].map(([code, value]) => ({ type: { coding: [{ system: CS('task-output'), code }] }, valueInteger: value }))
    const closed = await api.put('Task', { ...coordinator, status: 'completed', businessStatus: { coding: [{ system: CS('journey-state'), code: 'goals-achieved' }] }, executionPeriod: { start: '2026-01-16', end: '2026-04-10' }, output: outputs })
    t.equal(closed.status, 200)
    t.same(closed.body.output.map((o: any) => o.valueInteger), [8, 20, 15], 'contact counts stored')
    t.equal((await api.get(`ServiceRequest/${referral.id}`)).body.status, 'completed', 'the episode closes when its task completes')
    t.equal((await api.get(`ServiceRequest?based-on=ServiceRequest/${referral.id}`)).body.entry.length, 4)
  })

  await t.test('SC-07 EMIS-style referral: baseline SWEMWBS, GAD7 and PHQ9, monthly retakes, GP sees the latest', async (t) => {
    const patient = await newPerson(api, '1985-08-08')
    const referral = await refer(api, patient.id, { requester: `Organization/${org.practice}`, route: 'gp-practice', performer: `Organization/${org.anchor}`, reasons: ['anxiety-or-depression'] })
    await work(api, referral.id, patient.id, org.anchor as string, [['accepted'], ['in-progress', 'initial-appointment']])
    // GAD-7 and PHQ-9 have no code in our references; LOINC panels stand in and are stored unchecked.
    const instruments = [[SWEMWBS, [17, 19, 22]], [{ system: 'http://loinc.org', code: '70274-6' }, [12, 10, 7]], [{ system: 'http://loinc.org', code: '44261-6' }, [14, 11, 8]]] as const
    for (const [month, date] of ['2026-02-01', '2026-03-01', '2026-04-01'].entries()) {
      for (const [code, values] of instruments) {
        await api.created('Observation', { ...outcome(code, patient.id, score(values[month] as number)), basedOn: [{ reference: `ServiceRequest/${referral.id}` }], effectiveDateTime: `${date}T10:00:00Z` })
      }
    }
    const all = await api.get(`Observation?based-on=ServiceRequest/${referral.id}`)
    t.equal(all.body.entry.length, 9, '3 baseline + 3×2 follow-ups linked to the episode')
    const latest = await api.get(`Observation?based-on=ServiceRequest/${referral.id}&code=${SNOMED}|718466001&_sort=-date&_count=1`)
    t.equal(latest.body.entry[0].resource.valueQuantity.value, 22, 'the GP reads the latest score')
  })

  await t.test('SC-08 homeless client: consented paired SWEMWBS; a second person declines the end measure', async (t) => {
    const improved: boolean[] = []
    for (const [birthDate, end] of [['1979-03-03', 26], ['1981-04-04', undefined]] as const) {
      const patient = await newPerson(api, birthDate)
      await api.created('Consent', consent(patient.id, org.petrus as string, 'permit', 'evaluation'))
      const referral = await refer(api, patient.id, { reasons: ['homelessness'], performer: `Organization/${org.petrus}`, code: activity('natural-environment') })
      const baseline = await checkpoint(patient.id, referral.id, 17, '2026-01-12T10:00:00Z')
      if (end !== undefined) await checkpoint(patient.id, referral.id, end, '2026-04-12T10:00:00Z', baseline.id)
      const pair = (await api.get(`Observation?derived-from=Observation/${baseline.id}`)).body.entry ?? []
      if (pair.length > 0) improved.push(pair[0].resource.valueQuantity.value > 17)
    }
    t.same(improved, [true], 'improvement computed only over people with both measurements')
    t.equal((await api.get(`ServiceRequest?reason-code=${encodeURIComponent(CS('referral-reason'))}|homelessness`)).body.entry.length, 2, 'homelessness recorded as the reason')
  })

  await t.test('SC-09 self-referral straight to an activity: no link worker, no scores', async (t) => {
    const patient = await newPerson(api, '1990-09-09', { gender: 'female' })
    const res = await api.post('ServiceRequest', refSelf(patient.id, service.open as string))
    t.equal(res.status, 201)
    const task = await work(api, res.body.id, patient.id, org.valleySteps as string, [['accepted', 'attending']])
    t.equal(task.status, 'accepted')
    t.equal((await api.get(`Observation?subject=Patient/${patient.id}`)).body.entry?.length ?? 0, 0, 'no Observation required')
    const selfReferred = await api.get(`ServiceRequest?referral-route=${encodeURIComponent(CS('referral-route'))}|self&requester=Patient/${patient.id}`)
    t.equal(selfReferred.body.entry.length, 1, 'counted under referral route "Self referral"')
  })

  await t.test('SC-10 declined referral: revoked with the reason, not a start', async (t) => {
    const patient = await newPerson(api, '1975-11-11', { address: [{ postalCode: 'DN31 1HU' }] })
    const referral = await refer(api, patient.id, { requester: `Organization/${org.practice}`, route: 'gp-practice' })
    const declined = await api.put('ServiceRequest', { ...referral, status: 'revoked', extension: [...(referral.extension ?? []), { url: PROFILE('status-reason'), valueCodeableConcept: { coding: [{ system: CS('task-status-reason'), code: 'declined' }, { system: SNOMED, code: '871711000000103', display: 'Social prescribing declined' }], text: 'Declined by patient' } }] })
    t.equal(declined.status, 200)
    const revoked = await api.get(`ServiceRequest?status=revoked&status-reason=${encodeURIComponent(CS('task-status-reason'))}|declined&subject=Patient/${patient.id}`)
    t.equal(revoked.body.entry.length, 1, 'decline reportable (by postcode area on the dashboard)')
    t.equal((await api.get(`Task?focus=ServiceRequest/${referral.id}`)).body.entry?.length ?? 0, 0, 'no start')
    const late = await api.post('Task', { resourceType: 'Task', status: 'requested', intent: 'order', code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] }, focus: { reference: `ServiceRequest/${referral.id}` }, for: { reference: `Patient/${patient.id}` } })
    t.equal(late.status, 409, 'a declined (revoked) referral gets no tasks')
  })
})

function refSelf (patientId: string, serviceId: string): Record<string, unknown> {
  return {
    resourceType: 'ServiceRequest',
    meta: { profile: [`${BASE}/StructureDefinition/sp-referral`] },
    status: 'active',
    intent: 'order',
    extension: [{ url: PROFILE('referral-route'), valueCodeableConcept: { coding: [{ system: CS('referral-route'), code: 'self' }] } }],
    code: { coding: [activity('mental-health-support')], text: 'Six-week stress control course' },
    subject: { reference: `Patient/${patientId}` },
    requester: { reference: `Patient/${patientId}` },
    performer: [{ reference: `HealthcareService/${serviceId}` }],
    authoredOn: '2026-02-01T09:00:00Z'
  }
}
