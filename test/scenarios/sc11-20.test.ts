/**
 * Scenarios SC-11 … SC-20 of domain.md §11, end to end through the HTTP API. Where a scenario
 * asserts a dashboard figure, the test asserts the stored facts that figure is computed from.
 */
import { test } from 'tap'
import { buildTestApp } from '../helper.js'
import { consent, CS, outcome, reason, score, SNOMED } from '../workflow/fixtures.js'
import { activity, buildDirectory, newPerson, refer, work } from './directory.js'

const output = (code: string, value: number): Record<string, unknown> => ({ type: { coding: [{ system: CS('task-output'), code }] }, valueInteger: value })

test('domain.md §11 scenarios SC-11 to SC-20', async (t) => {
  const { app } = await buildTestApp(t)
  const { api, org, service } = await buildDirectory(app)

  await t.test('SC-11 provider rejects as too complex; the link worker re-routes', async (t) => {
    const patient = await newPerson(api, '1988-01-01')
    const parent = await refer(api, patient.id, { reasons: ['anxiety-or-depression'], performer: `HealthcareService/${service.spring}` })
    await work(api, parent.id, patient.id, org.ageUk as string, [['accepted'], ['in-progress', 'plan-agreed']])
    const arts = await refer(api, patient.id, { basedOn: `ServiceRequest/${parent.id}`, code: activity('arts-and-culture'), performer: `Organization/${org.arts}` })
    const rejected = await work(api, arts.id, patient.id, org.arts as string, [['rejected', 'returned-to-referrer', { statusReason: reason('too-complex', 'Needs exceed the scope of the group') }]])
    t.equal(rejected.statusReason.coding[0].code, 'too-complex')
    t.equal((await api.get(`ServiceRequest/${parent.id}`)).body.status, 'active', 'the parent episode continues')
    const signpost = await refer(api, patient.id, { basedOn: `ServiceRequest/${parent.id}`, code: activity('mental-health-support'), performer: `Organization/${org.mentalHealth}` })
    t.ok(signpost.id, 'onward signpost recorded')
    const byProvider = await api.get(`Task?owner=Organization/${org.arts}&status=rejected`)
    t.equal(byProvider.body.entry.length, 1, 'rejections per provider are reportable')
  })

  await t.test('SC-12 did not attend, then attended 5 of 8: taken up but not regular', async (t) => {
    const patient = await newPerson(api, '1963-03-03')
    const walk = await refer(api, patient.id, { code: activity('physical-activity'), performer: `Organization/${org.walking}` })
    let task = await work(api, walk.id, patient.id, org.walking as string, [['accepted', 'pre-engagement'], ['in-progress', 'not-attended'], ['in-progress', 'attending']])
    task = (await api.put('Task', { ...task, status: 'completed', businessStatus: { coding: [{ system: CS('journey-state'), code: 'activity-completed' }] }, output: [output('sessions-prescribed', 8), output('sessions-attended', 5)] })).body
    const history = (await api.get(`Task/${task.id}/_history`)).body.entry.map((e: any) => e.resource.businessStatus?.coding[0].code)
    t.ok(history.includes('not-attended'), 'the DNA is stored')
    const [prescribed, attended] = task.output.map((o: any) => o.valueInteger)
    t.ok(attended >= 1, 'take-up: attended at least one session')
    t.notOk(attended >= (2 / 3) * prescribed, 'regular engagement needs at least two thirds (5.33 of 8): not regular')
  })

  await t.test('SC-13 WEMWBS: administration recorded, bad scores refused, individual scores kept', async (t) => {
    const wemwbs = { system: SNOMED, code: '718426000' }
    const selfCompleted = { text: 'self-completed' }
    const administered = { text: 'interviewer-administered' }
    const ids: string[] = []
    for (const [i, method] of [selfCompleted, selfCompleted, administered].entries()) {
      const patient = await newPerson(api, `197${i}-01-01`)
      ids.push((await api.created('Observation', { ...outcome(wemwbs, patient.id, score(40 + i)), method })).id)
    }
    const stored = await api.get(`Observation?code=${SNOMED}|718426000&_id=${ids.join(',')}`)
    t.equal(stored.body.entry.length, 3, 'individual Observations stored')
    t.equal(stored.body.entry.filter((e: any) => e.resource.method.text !== 'self-completed').length, 1, 'administered records can be flagged as non-compliant')
    const patient = await newPerson(api, '1979-01-01')
    t.equal((await api.post('Observation', outcome(wemwbs, patient.id, score(13)))).status, 422, 'below 14 is refused')
  })

  await t.test('SC-14 young person via school; consent does not cover ICS aggregation', async (t) => {
    const patient = await newPerson(api, '2010-10-10') // 15
    await api.created('Consent', consent(patient.id, org.wolverhampton as string, 'deny', 'ics-aggregation'))
    const referral = await refer(api, patient.id, { route: 'school', performer: `HealthcareService/${service.youngPeople}` })
    await work(api, referral.id, patient.id, org.wolverhampton as string, [['accepted', 'contacted'], ['in-progress', 'initial-appointment'], ['in-progress', 'plan-agreed']])
    for (const [kind, provider] of [['mental-health-support', 'mentalHealth'], ['arts-and-culture', 'music']] as const) {
      const child = await refer(api, patient.id, { basedOn: `ServiceRequest/${referral.id}`, code: activity(kind) })
      await work(api, child.id, patient.id, org[provider] as string, [['accepted'], ['in-progress'], ['completed', 'activity-completed']])
    }
    const task = (await api.get(`Task?focus=ServiceRequest/${referral.id}`)).body.entry[0].resource
    await api.put('Task', { ...task, status: 'completed', businessStatus: { coding: [{ system: CS('journey-state'), code: 'goals-achieved' }] } })
    t.equal((await api.get(`ServiceRequest/${referral.id}`)).body.status, 'completed', 'episode processed and closed')
    const consents = await api.get(`Consent?patient=Patient/${patient.id}`)
    t.equal(consents.body.entry[0].resource.provision.type, 'deny', 'the ICS aggregate can see the profile is not shared')
    const adult = await newPerson(api, '2000-01-01')
    const adultReferral = await refer(api, adult.id, { route: 'school', performer: `HealthcareService/${service.youngPeople}` })
    t.equal((await work(api, adultReferral.id, adult.id, org.wolverhampton as string, [])).statusReason.coding[0].code, 'age-out-of-range', 'the 13–17 programme rejects an adult')
  })

  await t.test('SC-15 carer joins an online arts class: virtual, open-ended, carer flagged', async (t) => {
    const patient = await newPerson(api, '1958-05-05')
    const referral = await refer(api, patient.id, {
      code: activity('arts-and-culture'), reasons: ['carer-support'], performer: `Organization/${org.helix}`,
      extra: { orderDetail: [{ text: 'Virtual delivery (Zoom), drop-in' }] }
    })
    const task = await work(api, referral.id, patient.id, org.helix as string, [['accepted'], ['in-progress', 'attending']])
    const updated = await api.put('Task', { ...task, output: [output('sessions-attended', 3)] })
    t.equal(updated.status, 200, 'attendance recorded per drop-in without a prescribed-session count')
    t.equal((await api.get(`ServiceRequest?reason-code=${encodeURIComponent(CS('referral-reason'))}|carer-support&_id=${referral.id}`)).body.entry.length, 1, 'carer need recorded')
  })

  await t.test('SC-16 hospital-originated referrals count as wider health system', async (t) => {
    for (const [birthDate, kind, provider] of [['1950-02-02', 'physical-activity', 'greenGym'], ['1984-02-02', 'arts-and-culture', 'helix']] as const) {
      const patient = await newPerson(api, birthDate)
      await refer(api, patient.id, { route: 'hospital', requester: `Organization/${org.hospital}`, code: activity(kind), performer: `Organization/${org[provider] as string}` })
    }
    const fromHospital = await api.get(`ServiceRequest?referral-route=${encodeURIComponent(CS('referral-route'))}|hospital`)
    t.equal(fromHospital.body.entry.length, 2)
    t.ok(fromHospital.body.entry.every((e: any) => e.resource.requester.reference === `Organization/${org.hospital}`), 'requester is the hospital, not a practice')
  })

  await t.test('SC-17 participant completes, later self-refers again: two referrals, one person', async (t) => {
    const patient = await newPerson(api, '1960-07-07')
    const first = await refer(api, patient.id, { code: activity('natural-environment'), performer: `Organization/${org.canal}` })
    await work(api, first.id, patient.id, org.canal as string, [['accepted'], ['in-progress'], ['completed', 'progressed']])
    t.equal((await api.get(`ServiceRequest/${first.id}`)).body.status, 'completed')
    const second = await refer(api, patient.id, { replaces: `ServiceRequest/${first.id}`, route: 'self', reasons: ['bereavement'], requester: `Patient/${patient.id}` })
    const referrals = (await api.get(`ServiceRequest?subject=Patient/${patient.id}`)).body.entry
    t.equal(referrals.length, 2, '2 referrals')
    t.equal(new Set(referrals.map((e: any) => e.resource.subject.reference)).size, 1, '1 unique person')
    t.same(second.replaces, [{ reference: `ServiceRequest/${first.id}` }], 'linked to the earlier episode')
  })

  await t.test('SC-19 person with memory loss and daughter: one episode, the daughter as related person', async (t) => {
    const patient = await newPerson(api, '1945-09-09')
    await api.created('Condition', { resourceType: 'Condition', clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] }, code: { coding: [{ system: CS('long-term-condition'), code: 'dementia' }] }, subject: { reference: `Patient/${patient.id}` } })
    const daughter = await api.created('RelatedPerson', { resourceType: 'RelatedPerson', patient: { reference: `Patient/${patient.id}` }, relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'DAU' }] }] })
    const referral = await refer(api, patient.id, { requester: `Organization/${org.practice}`, code: activity('physical-activity'), performer: `Organization/${org.kent}`, extra: { supportingInfo: [{ reference: `RelatedPerson/${daughter.id}` }] } })
    await work(api, referral.id, patient.id, org.kent as string, [['accepted'], ['in-progress', 'attending']])
    t.equal((await api.get(`Task?focus=ServiceRequest/${referral.id}`)).body.entry.length, 1, 'no second episode for the daughter')
    t.equal((await api.get(`Condition?subject=Patient/${patient.id}`)).body.entry.length, 1, 'LTC/disability: yes')
  })

  await t.test('SC-20 tiered intensity: plan reviewed at visit 12, history kept', async (t) => {
    const patient = await newPerson(api, '1940-04-04')
    const referral = await refer(api, patient.id, { reasons: ['loneliness-or-social-isolation'], performer: `Organization/${org.brightlife}` })
    const task = await work(api, referral.id, patient.id, org.brightlife as string, [['accepted'], ['in-progress', 'plan-agreed', { input: [{ type: { text: 'tier' }, valueString: 'intensive-16-sessions' }] }]])
    const plan = await api.created('CarePlan', { resourceType: 'CarePlan', status: 'active', intent: 'plan', subject: { reference: `Patient/${patient.id}` }, supportingInfo: [{ reference: `ServiceRequest/${referral.id}` }], title: 'Intensive tier: 16 home visits' })
    const reviewed = await api.put('CarePlan', { ...plan, title: 'Group drop-in sessions after the visit 12 review' })
    t.equal(reviewed.status, 200)
    t.equal((await api.get(`CarePlan/${plan.id}/_history`)).body.total, 2, 'plan version history kept')
    const counted = await api.put('Task', { ...task, output: [output('home-visits', 12)] })
    t.equal(counted.body.output[0].valueInteger, 12, 'sessions against the 16-session tier are reportable')
  })

  t.comment('SC-18 (ICS aggregation) has a store of its own: test/scenarios/sc18-dashboard.test.ts')
})
