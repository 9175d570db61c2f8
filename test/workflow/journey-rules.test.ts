/** The referral journey rules on every write path: REST create/update/patch and transactions. */
import { test } from 'tap'
import { buildTestApp, versionCount } from '../helper.js'
import { client, CS, journeyState, longTermCondition, moveTask, NHS_NUMBERS, organisation, outcome, person, PROFILE, programme, reason, referralTask, score, SNOMED, spReferral } from './fixtures.js'

test('Task status follows the Gravity state machine; an illegal move is 409 naming both states and changes nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const api = client(app)
  const patient = await api.created('Patient', person(NHS_NUMBERS[0], '1960-05-01'))
  const org = await api.created('Organization', organisation('Centre4'))
  const referral = await api.created('ServiceRequest', spReferral(patient.id))
  const task = await api.created('Task', referralTask(referral.id, patient.id, `Organization/${org.id}`))

  const skip = await api.put('Task', { ...task, status: 'completed' })
  t.equal(skip.status, 409, 'requested → completed is not allowed')
  t.match(skip.body.issue[0].details.text, /from "requested" to "completed"/)
  t.same(skip.body.issue[0].expression, ['Task.status'])

  const accepted = await moveTask(api, task, [['accepted', { businessStatus: journeyState('contacted') }], ['in-progress'], ['on-hold', { statusReason: reason('waiting-list', 'Waiting for a counselling place') }], ['in-progress'], ['completed']])
  t.equal(accepted.status, 200, 'the legal path is accepted')
  const reopen = await api.patch(`Task/${task.id}`, [{ op: 'replace', path: '/status', value: 'in-progress' }])
  t.equal(reopen.status, 409, 'no way out of completed, by PATCH either')
  t.match(reopen.body.issue[0].details.text, /"completed" to "in-progress"/)
  const viaBundle = await api.tx([{ resource: { ...accepted.body, status: 'requested' }, request: { method: 'PUT', url: `Task/${task.id}` } }])
  t.equal(viaBundle.status, 409, 'nor in a transaction')
  t.same(viaBundle.body.issue[0].expression, ['Bundle.entry[0].resource.status'])
  const error = await api.put('Task', { ...accepted.body, status: 'entered-in-error' })
  t.equal(error.status, 200, 'entered-in-error is reachable from anywhere')
  t.equal((await api.get(`Task/${task.id}`)).body.meta.versionId, '7', 'refused moves left no versions')
})

test('statusReason is required when rejected, cancelled, on hold or failed; ready and received are not used', async (t) => {
  const { app } = await buildTestApp(t)
  const api = client(app)
  const patient = await api.created('Patient', person(NHS_NUMBERS[1], '1970-01-01'))
  const referral = await api.created('ServiceRequest', spReferral(patient.id))
  const task = await api.created('Task', referralTask(referral.id, patient.id, 'Organization/x'))
  for (const status of ['rejected', 'cancelled']) {
    const res = await api.put('Task', { ...task, status })
    t.equal(res.status, 422, `${status} without a reason`)
    t.same(res.body.issue.find((i: any) => i.code === 'required').expression, ['Task.statusReason'])
  }
  const codeOnly = await api.put('Task', { ...task, status: 'rejected', statusReason: { coding: [{ system: CS('task-status-reason'), code: 'too-complex' }] } })
  t.equal(codeOnly.status, 422, 'a code without text is not enough (Gravity: statusReason.text 1..1)')
  const ready = await api.post('Task', referralTask(referral.id, patient.id, 'Organization/x', 'ready'))
  t.equal(ready.status, 422)
  t.match(ready.body.issue[0].details.text, /does not use status "ready"/)
  const rejected = await api.put('Task', { ...task, status: 'rejected', statusReason: reason('too-complex', 'Needs exceed the scope of the group') })
  t.equal(rejected.status, 200)
  t.equal(await versionCount(app, 'Task'), 2)
})

test('the parent referral follows its tasks; a closed referral gets no new tasks', async (t) => {
  const { app } = await buildTestApp(t)
  const api = client(app)
  const patient = await api.created('Patient', person(NHS_NUMBERS[2], '1955-07-20'))
  const referral = await api.created('ServiceRequest', spReferral(patient.id))
  const first = await api.created('Task', referralTask(referral.id, patient.id, 'Organization/a'))
  const second = await api.created('Task', referralTask(referral.id, patient.id, 'Organization/b'))
  t.equal((await moveTask(api, first, [['accepted'], ['in-progress'], ['completed']])).status, 200)
  t.equal((await api.get(`ServiceRequest/${referral.id}`)).body.status, 'active', 'one task still open')
  t.equal((await moveTask(api, second, [['accepted'], ['completed']])).status, 200)
  t.equal((await api.get(`ServiceRequest/${referral.id}`)).body.status, 'completed', 'all tasks completed → referral completed')

  const late = await api.post('Task', referralTask(referral.id, patient.id, 'Organization/c'))
  t.equal(late.status, 409)
  t.match(late.body.issue[0].details.text, /completed referral cannot get new tasks/)
  t.same(late.body.issue[0].expression, ['Task.focus'])
  t.equal(await versionCount(app, 'Task'), 2 + 3 + 2, 'no new Task')

  // Declined at first contact: the task is cancelled with the reason, the referral revoked with it.
  const other = await api.created('ServiceRequest', spReferral(patient.id))
  const contact = await api.created('Task', referralTask(other.id, patient.id, 'Organization/a'))
  await moveTask(api, contact, [['accepted', { businessStatus: journeyState('contacted') }], ['cancelled', { statusReason: reason('declined', 'Declined social prescribing at first contact'), businessStatus: journeyState('declined') }]])
  const revoked = (await api.get(`ServiceRequest/${other.id}`)).body
  t.equal(revoked.status, 'revoked')
  const why = revoked.extension.find((e: any) => e.url === PROFILE('status-reason')).valueCodeableConcept
  t.equal(why.coding[0].code, 'declined')
  const byReason = await api.get(`ServiceRequest?status-reason=${encodeURIComponent(CS('task-status-reason'))}|declined`)
  t.equal(byReason.body.entry.length, 1, 'revocation reasons are searchable')
})

test('a referral revoked by its sender cancels its open tasks; the profile wants a reason', async (t) => {
  const { app } = await buildTestApp(t)
  const api = client(app)
  const patient = await api.created('Patient', person(NHS_NUMBERS[3], '1980-02-02'))
  const referral = await api.created('ServiceRequest', spReferral(patient.id))
  const task = await api.created('Task', referralTask(referral.id, patient.id, 'Organization/a'))
  const noReason = await api.put('ServiceRequest', { ...referral, status: 'revoked' })
  t.equal(noReason.status, 422)
  t.same(noReason.body.issue[0].expression, ['ServiceRequest.extension'])
  const withdrawn = await api.put('ServiceRequest', { ...referral, status: 'revoked', extension: [{ url: PROFILE('status-reason'), valueCodeableConcept: reason('referral-withdrawn', 'GP withdrew the referral') }] })
  t.equal(withdrawn.status, 200)
  const cancelled = (await api.get(`Task/${task.id}`)).body
  t.equal(cancelled.status, 'cancelled')
  t.equal(cancelled.statusReason.text, 'GP withdrew the referral')
})

test('eligibility is configuration on the programme: a failing referral gets its Task rejected with a coded reason', async (t) => {
  const { app } = await buildTestApp(t)
  const api = client(app)
  const org = await api.created('Organization', organisation('Centre4'))
  const thrive = await api.created('HealthcareService', programme('Thrive NEL', org.id, [18, 75], ['asthma', 'coronary-heart-disease', 'diabetes', 'hypertension', 'copd']))
  const cases: Array<[string, string, string | undefined, string | undefined]> = [
    // name, birth date (referral authored 2026-01-15), condition, expected rejection code
    ['76 with hypertension', '1949-06-01', 'hypertension', 'age-out-of-range'],
    ['45 without a qualifying condition', '1980-06-01', 'fibromyalgia', 'no-qualifying-condition'],
    ['18 with asthma', '2007-12-01', 'asthma', undefined],
    ['75 with diabetes', '1950-06-01', 'diabetes', undefined]
  ]
  for (const [index, [name, birthDate, condition, expected]] of cases.entries()) {
    const patient = await api.created('Patient', person(NHS_NUMBERS[index] as string, birthDate))
    if (condition !== undefined) await api.created('Condition', longTermCondition(patient.id, condition))
    const referral = await api.created('ServiceRequest', spReferral(patient.id, { performer: `HealthcareService/${thrive.id}` }))
    const task = await api.post('Task', referralTask(referral.id, patient.id, `Organization/${org.id}`))
    t.equal(task.status, 201, `${name}: the Task is stored, not refused`)
    if (expected === undefined) {
      t.equal(task.body.status, 'requested', `${name}: eligible`)
    } else {
      t.equal(task.body.status, 'rejected', `${name}: rejected`)
      t.equal(task.body.statusReason.coding[0].code, expected, `${name}: ${expected}`)
      t.match(task.body.statusReason.text, /Thrive NEL/)
      t.equal(task.body.businessStatus.coding[0].code, 'ineligible')
    }
  }
  const rejected = await api.get(`Task?status=rejected&status-reason=${encodeURIComponent(CS('task-status-reason'))}|age-out-of-range`)
  t.equal(rejected.body.entry.length, 1, 'rejection reasons are reportable by search')
  const unknownAge = await api.created('Patient', { ...person(NHS_NUMBERS[5], '1980-01-01'), birthDate: undefined })
  const referral = await api.created('ServiceRequest', spReferral(unknownAge.id, { performer: `HealthcareService/${thrive.id}` }))
  const task = await api.created('Task', referralTask(referral.id, unknownAge.id, `Organization/${org.id}`))
  t.equal(task.statusReason.coding[0].code, 'eligibility-unknown')
})

test('onward referrals need an open parent for the same person; re-referral follows a closed episode', async (t) => {
  const { app } = await buildTestApp(t)
  const api = client(app)
  const patient = await api.created('Patient', person(NHS_NUMBERS[6], '1990-03-03'))
  const someoneElse = await api.created('Patient', person(NHS_NUMBERS[7], '1991-03-03'))
  const parent = await api.created('ServiceRequest', spReferral(patient.id))
  const activity = { system: CS('activity-category'), code: 'physical-activity' }
  const child = await api.post('ServiceRequest', spReferral(patient.id, { basedOn: `ServiceRequest/${parent.id}`, code: activity }))
  t.equal(child.status, 201, 'an onward referral to an activity')
  const wrongPerson = await api.post('ServiceRequest', spReferral(someoneElse.id, { basedOn: `ServiceRequest/${parent.id}`, code: activity }))
  t.equal(wrongPerson.status, 422)
  t.same(wrongPerson.body.issue[0].expression, ['ServiceRequest.basedOn[0]'])
  // The same person named by this server's absolute URL is the same person.
  const base = (await app.inject({ method: 'GET', url: '/fhir/metadata' })).json().implementation.url as string
  const absolute = `${base}/Patient/${patient.id as string}`
  t.match(absolute, /^https?:\/\/.+\/fhir\/Patient\//, 'the patient as an absolute URL on this server')
  const byUrl = await api.post('ServiceRequest', { ...spReferral(patient.id, { basedOn: `ServiceRequest/${parent.id}`, code: activity }), subject: { reference: absolute } })
  t.equal(byUrl.status, 201, 'an onward referral naming the patient by absolute URL')

  const early = await api.post('ServiceRequest', spReferral(patient.id, { replaces: `ServiceRequest/${parent.id}` }))
  t.equal(early.status, 409, 'a re-referral cannot replace an open episode')
  t.same(early.body.issue[0].expression, ['ServiceRequest.replaces[0]'])

  await api.put('ServiceRequest', { ...parent, status: 'completed' })
  const onwardFromClosed = await api.post('ServiceRequest', spReferral(patient.id, { basedOn: `ServiceRequest/${parent.id}`, code: activity }))
  t.equal(onwardFromClosed.status, 409)
  const again = await api.post('ServiceRequest', spReferral(patient.id, { replaces: `ServiceRequest/${parent.id}`, route: 'self' }))
  t.equal(again.status, 201, 're-referral after the episode closed')
  const linked = await api.get(`ServiceRequest?replaces=ServiceRequest/${parent.id}`)
  t.equal(linked.body.entry[0].resource.id, again.body.id)
  const bySelf = await api.get(`ServiceRequest?referral-route=${encodeURIComponent(CS('referral-route'))}|self`)
  t.equal(bySelf.body.entry.length, 1, 'referral route is searchable')
  t.equal(await versionCount(app, 'ServiceRequest'), 5)
})

test('a transaction carrying a referral and its tasks obeys the same rules, all or nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const api = client(app)
  const org = await api.created('Organization', organisation('Ways to Wellness'))
  const wtw = await api.created('HealthcareService', programme('Ways to Wellness', org.id, [40, 74]))
  const bundle = (birthDate: string): unknown[] => [
    { fullUrl: 'urn:uuid:6a3c5b4e-0000-4000-8000-000000000001', resource: person(NHS_NUMBERS[8], birthDate), request: { method: 'POST', url: 'Patient' } },
    { fullUrl: 'urn:uuid:6a3c5b4e-0000-4000-8000-000000000002', resource: { ...spReferral('x', { performer: `HealthcareService/${wtw.id}` }), subject: { reference: 'urn:uuid:6a3c5b4e-0000-4000-8000-000000000001' } }, request: { method: 'POST', url: 'ServiceRequest' } },
    { resource: { ...referralTask('x', 'x', `Organization/${org.id}`), focus: { reference: 'urn:uuid:6a3c5b4e-0000-4000-8000-000000000002' }, for: { reference: 'urn:uuid:6a3c5b4e-0000-4000-8000-000000000001' } }, request: { method: 'POST', url: 'Task' } }
  ]
  const young = await api.tx(bundle('1987-01-01'))
  t.equal(young.status, 200)
  const task = (await api.get('Task')).body.entry[0].resource
  t.equal(task.status, 'rejected', 'a 39-year-old is rejected by Ways to Wellness (40–74)')
  t.equal(task.statusReason.coding[0].code, 'age-out-of-range')

  const referralId = task.focus.reference.split('/')[1]
  const illegal = await api.tx([
    { resource: { ...task, status: 'in-progress' }, request: { method: 'PUT', url: `Task/${task.id}` } },
    { resource: person(NHS_NUMBERS[9], '1970-01-01'), request: { method: 'POST', url: 'Patient' } }
  ])
  t.equal(illegal.status, 409)
  t.equal(await versionCount(app, 'Patient'), 1, 'the whole transaction rolled back')
  t.equal((await api.get(`ServiceRequest/${referralId}`)).body.status, 'active')
})

test('an Observation basedOn a referral must be about the referral\'s person, on every write path', async (t) => {
  const { app } = await buildTestApp(t)
  const api = client(app)
  const patient = await api.created('Patient', person(NHS_NUMBERS[0], '1960-05-01'))
  const other = await api.created('Patient', person(NHS_NUMBERS[1], '1970-05-01'))
  const referral = await api.created('ServiceRequest', spReferral(patient.id))
  const basedOn = { basedOn: [{ reference: `ServiceRequest/${referral.id as string}` }] }
  const wemwbs = { system: SNOMED, code: '718426000' }

  const ok = await api.post('Observation', outcome(wemwbs, patient.id, score(40), basedOn))
  t.equal(ok.status, 201, 'the referral\'s own person')
  const wrong = await api.post('Observation', outcome(wemwbs, other.id, score(40), basedOn))
  t.equal(wrong.status, 422)
  t.match(wrong.body.issue[0].details.text, /is not the person of the referral it is basedOn/)
  t.same(wrong.body.issue[0].expression, ['Observation.subject'])
  const moved = await api.put('Observation', { ...ok.body, subject: { reference: `Patient/${other.id as string}` } })
  t.equal(moved.status, 422, 'nor by update')
  const viaBundle = await api.tx([{ resource: outcome(wemwbs, other.id, score(41), basedOn), request: { method: 'POST', url: 'Observation' } }])
  t.equal(viaBundle.status, 422, 'nor in a transaction')
  t.same(viaBundle.body.issue[0].expression, ['Bundle.entry[0].resource.subject'])
  t.equal(await versionCount(app, 'Observation'), 1, 'only the right one stored')
})
