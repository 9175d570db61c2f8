/**
 * The outbound path through HTTP on a real database: referrals created through the FHIR API,
 * then GET /outbound/<mapping>/ServiceRequest/{id} for the CRM record (pack 3), the GP outcome
 * summary (pack 6 JSON) and the GP document Bundle (pack 6 FHIR).
 */
import t from 'tap'
import { readFile } from 'node:fs/promises'
import { validateResource } from '@medplum/core'
import type { Bundle, Composition } from '@medplum/fhirtypes'
import { buildTestApp, FHIR } from '../helper.js'
import { client, consent, CS, NHS, NHS_NUMBERS, outcome, referralTask, score, SNOMED, spReferral } from '../workflow/fixtures.js'

const { app, logs } = await buildTestApp(t)
const api = client(app)
const outbound = async (mapping: string, id: string): Promise<{ status: number, type: string, body: any }> => {
  const res = await app.inject({ method: 'GET', url: `/outbound/${mapping}/ServiceRequest/${id}` })
  return { status: res.statusCode, type: String(res.headers['content-type']), body: res.json() }
}

const gp = await api.created('Organization', { resourceType: 'Organization', name: 'Example Medical Centre', identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'B82005' }] })
const vcfse = await api.created('Organization', { resourceType: 'Organization', name: 'Centre4 Community Hub' })
const arts = await api.created('Organization', { resourceType: 'Organization', name: 'Helix Arts' })

async function person (nhsNumber: string): Promise<any> {
  return await api.created('Patient', {
    resourceType: 'Patient',
    identifier: [{ system: NHS, value: nhsNumber }],
    name: [{ family: 'Tester', given: ['Sam'] }],
    gender: 'female',
    birthDate: '1950-03-14',
    telecom: [{ system: 'phone', value: '01632 960001', use: 'home' }, { system: 'phone', value: '07700 900001', use: 'mobile' }, { system: 'email', value: 'sam@example.org' }],
    address: [{ line: ['1 Example Street'], city: 'Grimsby', postalCode: 'DN31 1AA' }]
  })
}

async function referCrm (patientId: string): Promise<{ referral: any, task: any }> {
  const referral = await api.created('ServiceRequest', spReferral(patientId, {
    requester: `Organization/${gp.id as string}`,
    performer: `Organization/${vcfse.id as string}`,
    reasons: ['loneliness-or-social-isolation', 'money-or-debt'],
    route: 'gp-practice',
    extra: { note: [{ text: 'Recently widowed; prefers morning calls.' }] }
  }))
  const task = await api.created('Task', referralTask(referral.id, patientId, `Organization/${vcfse.id as string}`))
  return { referral, task }
}

const minimumRecord = (referral: any, task: any, basis: string): Record<string, unknown> => ({
  recordType: 'referral',
  schemaVersion: '1.0',
  sharing: { level: 'minimum', basis },
  referral: {
    gatewayReferralId: referral.id,
    referralDate: '2026-01-15',
    status: 'active',
    referralType: 'link-worker',
    route: 'gp-practice',
    referrer: { name: 'Example Medical Centre', organisation: 'Example Medical Centre', odsCode: 'B82005' },
    gatewayTaskId: task.id,
    gatewayTaskVersion: 1,
    taskStatus: 'requested',
    receivingOrganisation: { gatewayOrganisationId: vcfse.id, name: 'Centre4 Community Hub' }
  },
  client: { firstName: 'Sam', lastName: 'Tester', phone: '07700 900001' },
  needs: [
    { category: 'social-isolation', gatewayCode: 'loneliness-or-social-isolation' },
    { category: 'money', gatewayCode: 'money-or-debt' }
  ]
})

t.test('pack 3: full CRM record when the consent permits sharing with VCFSE organisations', async (t) => {
  const patient = await person(NHS_NUMBERS[0])
  await api.created('Consent', consent(patient.id, gp.id, 'permit', 'vcfse-sharing'))
  const { referral, task } = await referCrm(patient.id)
  const res = await outbound('crm-referral', referral.id)
  t.equal(res.status, 200)
  t.match(res.type, /^application\/json/)
  const minimum = minimumRecord(referral, task, 'consent-permits') as any
  t.same(res.body, {
    ...minimum,
    sharing: { level: 'full', basis: 'consent-permits' },
    referral: { ...minimum.referral, notes: 'Recently widowed; prefers morning calls.' },
    client: {
      ...minimum.client,
      nhsNumber: NHS_NUMBERS[0],
      dateOfBirth: '1950-03-14',
      gender: 'female',
      email: 'sam@example.org',
      address: { lines: ['1 Example Street'], town: 'Grimsby', postcode: 'DN31 1AA' }
    }
  })
})

t.test('pack 3: only the minimum set when the consent denies sharing, or none is recorded', async (t) => {
  const denied = await person(NHS_NUMBERS[1])
  await api.created('Consent', consent(denied.id, gp.id, 'permit', 'vcfse-sharing'))
  await api.created('Consent', consent(denied.id, gp.id, 'deny', 'vcfse-sharing'))
  const limited = await referCrm(denied.id)
  const res = await outbound('crm-referral', limited.referral.id)
  t.equal(res.status, 200)
  t.same(res.body, minimumRecord(limited.referral, limited.task, 'consent-denies'), 'a deny wins over a permit')
  const text = JSON.stringify(res.body)
  for (const withheld of [NHS_NUMBERS[1], '1950-03-14', 'DN31 1AA', 'sam@example.org', 'widowed']) {
    t.notOk(text.includes(withheld), `${withheld} withheld`)
  }

  const silent = await person(NHS_NUMBERS[2])
  await api.created('Consent', consent(silent.id, gp.id, 'permit', 'evaluation'))
  const unconsented = await referCrm(silent.id)
  t.same((await outbound('crm-referral', unconsented.referral.id)).body, minimumRecord(unconsented.referral, unconsented.task, 'no-consent-recorded'), 'consent for other purposes does not count')
})

t.test('pack 3: a referral whose patient has no name cannot make a CRM record (422 naming the field)', async (t) => {
  const nameless = await api.created('Patient', { resourceType: 'Patient', identifier: [{ system: NHS, value: NHS_NUMBERS[3] }] })
  const referral = await api.created('ServiceRequest', spReferral(nameless.id))
  const res = await outbound('crm-referral', referral.id)
  t.equal(res.status, 422)
  t.equal(res.body.resourceType, 'OperationOutcome')
  t.same(res.body.issue.map((i: any) => i.location[0]), ['/client/firstName', '/client/lastName'])
})

/** A closed referral with two onward activities (one taken up) and `outcomes` SWEMWBS scores. */
async function closedReferral (nhsNumber: string, swemwbsScores: number[]): Promise<{ patient: any, referral: any, arts: any, green: any }> {
  const patient = await person(nhsNumber)
  const referral = await api.created('ServiceRequest', spReferral(patient.id, { requester: `Organization/${gp.id as string}` }))
  const task = await api.created('Task', referralTask(referral.id, patient.id, `Organization/${vcfse.id as string}`))
  const moved = await api.put('Task', { ...task, status: 'accepted', businessStatus: { coding: [{ system: CS('journey-state'), code: 'plan-agreed' }] } })
  const activity = (code: string): Record<string, unknown> => spReferral(patient.id, { basedOn: `ServiceRequest/${referral.id as string}`, code: { system: CS('activity-category'), code } })
  const artsReferral = await api.created('ServiceRequest', activity('arts-and-culture'))
  const artsTask = await api.created('Task', referralTask(artsReferral.id, patient.id, `Organization/${arts.id as string}`))
  const sessions = (code: string, n: number): Record<string, unknown> => ({ type: { coding: [{ system: CS('task-output'), code }] }, valueInteger: n })
  const accepted = await api.put('Task', { ...artsTask, status: 'accepted' })
  t.equal((await api.put('Task', { ...accepted.body, status: 'in-progress', output: [sessions('sessions-prescribed', 8), sessions('sessions-attended', 3)] })).status, 200)
  const greenReferral = await api.created('ServiceRequest', activity('natural-environment'))
  for (const [i, value] of swemwbsScores.entries()) {
    await api.created('Observation', outcome({ system: SNOMED, code: '718466001' }, patient.id, score(value), {
      basedOn: [{ reference: `ServiceRequest/${referral.id as string}` }],
      effectiveDateTime: `2026-0${i + 1}-10T10:00:00Z`
    }))
  }
  t.equal(moved.status, 200)
  return { patient, referral, arts: artsReferral, green: greenReferral }
}

t.test('pack 6: the outcome summary for the GP, with and without outcomes', async (t) => {
  const many = await closedReferral(NHS_NUMBERS[4], [17, 21, 25, 28])
  const res = await outbound('gp-outcome-summary', many.referral.id)
  t.equal(res.status, 200)
  t.match(res.body, {
    messageType: 'social-prescribing-outcome-summary',
    patient: { nhsNumber: NHS_NUMBERS[4], familyName: 'Tester', givenName: 'Sam', dateOfBirth: '1950-03-14' },
    referral: {
      gatewayReferralId: many.referral.id,
      status: 'active',
      referrer: { name: 'Example Medical Centre', odsCode: 'B82005' },
      taskStatus: 'accepted',
      service: { gatewayOrganisationId: vcfse.id, name: 'Centre4 Community Hub' },
      stage: { system: CS('journey-state'), code: 'plan-agreed' }
    }
  })
  t.same(res.body.activities, [
    { gatewayReferralId: many.arts.id, status: 'active', category: { system: CS('activity-category'), code: 'arts-and-culture' }, takenUp: true, taskStatus: 'in-progress', provider: 'Helix Arts', sessionsOffered: 8, sessionsAttended: 3 },
    { gatewayReferralId: many.green.id, status: 'active', category: { system: CS('activity-category'), code: 'natural-environment' }, takenUp: false }
  ], 'activities taken up and not')
  t.same(res.body.outcomes.map((o: any) => [o.snomedCt, o.score, o.date]), [
    ['718466001', 17, '2026-01-10'], ['718466001', 21, '2026-02-10'], ['718466001', 25, '2026-03-10'], ['718466001', 28, '2026-04-10']
  ], 'every score with its SNOMED CT code, oldest first')

  const none = await closedReferral(NHS_NUMBERS[5], [])
  const empty = await outbound('gp-outcome-summary', none.referral.id)
  t.equal(empty.status, 200)
  t.equal(empty.body.outcomes, undefined, 'a referral without outcomes has none')
  t.equal(empty.body.activities.length, 2)
})

t.test('pack 6: the FHIR document for the GP record is a valid R4 document Bundle', async (t) => {
  const { patient, referral, arts, green } = await closedReferral(NHS_NUMBERS[6], [19, 24])
  const res = await outbound('gp-outcome-document', referral.id)
  t.equal(res.status, 200)
  t.match(res.type, /^application\/fhir\+json/)
  const doc = res.body as Bundle
  t.equal(doc.type, 'document')
  t.doesNotThrow(() => validateResource(doc), 'valid against base R4')
  const composition = doc.entry?.[0]?.resource as Composition
  t.equal(composition.resourceType, 'Composition', 'Composition first')
  t.equal(composition.subject?.reference, `http://localhost:8080${FHIR}/Patient/${patient.id as string}`)
  const fullUrls = new Set(doc.entry?.map(e => e.fullUrl))
  const sectionReferences = composition.section?.flatMap(s => s.entry?.map(e => e.reference) ?? []) ?? []
  t.same(sectionReferences.filter(r => !fullUrls.has(r)), [], 'every section entry is in the document')
  t.same(composition.section?.map(s => s.title), ['Referral and its progress', 'Activities taken up', 'Outcome scores'])
  const listed = (index: number): string[] => composition.section?.[index]?.entry?.map(e => (e.reference ?? '').split('/fhir/')[1] as string) ?? []
  const tasks = async (focus: string): Promise<string[]> => (await api.get(`Task?focus=ServiceRequest/${focus}`)).body.entry.map((e: any) => `Task/${e.resource.id as string}`)
  t.same(listed(0), [`ServiceRequest/${referral.id as string}`, ...await tasks(referral.id)], 'the referral and its task')
  t.same(listed(1), [`ServiceRequest/${arts.id as string}`, ...await tasks(arts.id), `ServiceRequest/${green.id as string}`], 'both activities, the one taken up with its task')
  t.equal(listed(2).length, 2, 'both outcome scores')
  t.equal(doc.entry?.filter(e => e.resource?.resourceType === 'Observation').length, 2)
  t.equal(doc.entry?.filter(e => e.resource?.resourceType === 'Consent').length, 0, 'consents stay out of the GP record')
})

t.test('unknown mapping, unknown or deleted referral, inbound mapping: OperationOutcomes', async (t) => {
  const patient = await person(NHS_NUMBERS[7])
  const referral = await api.created('ServiceRequest', spReferral(patient.id))
  const unknownMapping = await outbound('no-such-mapping', referral.id)
  t.equal(unknownMapping.status, 404)
  t.match(unknownMapping.body.issue[0].details.text, /No outbound mapping named no-such-mapping/)
  t.equal((await outbound('gp-referral-json', referral.id)).status, 404, 'an inbound mapping cannot be asked for')
  const unknownReferral = await outbound('crm-referral', 'does-not-exist')
  t.equal(unknownReferral.status, 404)
  t.equal(unknownReferral.body.resourceType, 'OperationOutcome')
  t.equal((await app.inject({ method: 'DELETE', url: `${FHIR}/ServiceRequest/${referral.id as string}` })).statusCode, 204)
  t.equal((await outbound('crm-referral', referral.id)).status, 410)
})

t.test('pack 3 -> pack 4: the record\'s gatewayTaskVersion makes a version-checked status event without reading the Task; a stale one is 412', async (t) => {
  const patient = await person(NHS_NUMBERS[9])
  const { referral, task } = await referCrm(patient.id)
  const record = (await outbound('crm-referral', referral.id)).body.referral
  t.equal(record.gatewayTaskId, task.id)
  t.equal(record.gatewayTaskVersion, Number(task.meta.versionId), 'the Task\'s meta.versionId, as a number')
  const statusEvent = async (eventId: string, event: string, version: number): Promise<{ statusCode: number, json: () => any }> =>
    await app.inject({ method: 'POST', url: '/inbound/crm-task-status', headers: { 'content-type': 'application/json', 'x-sender': 'crm-test' }, payload: { eventId, gatewayTaskId: record.gatewayTaskId, gatewayTaskVersion: version, event, occurredAt: '2026-11-20T10:00:00Z' } })
  const accepted = await statusEvent('EVT-V-1', 'accepted', record.gatewayTaskVersion)
  t.equal(accepted.statusCode, 201, 'the version from the record is accepted as If-Match')
  const after = (await api.get(`Task/${task.id as string}`)).body
  t.equal(after.status, 'accepted')
  t.equal((await outbound('crm-referral', referral.id)).body.referral.gatewayTaskVersion, Number(after.meta.versionId), 'the next record carries the new version')
  const stale = await statusEvent('EVT-V-2', 'contacted', record.gatewayTaskVersion)
  t.equal(stale.statusCode, 412, 'the same (now stale) version is refused')
  t.match(stale.json().issue[0].details.text, /is not the current version/)
  t.same((await api.get(`Task/${task.id as string}`)).body.meta.versionId, after.meta.versionId, 'nothing changed')
})

t.test('round trip: GP referral JSON (POST /inbound, pack 1) -> CRM record; an outcome -> GP summary and document', async (t) => {
  const gpPayload = JSON.parse(await readFile('mappings/gp-referral-json/fixtures/normal.input.json', 'utf8'))
  const inbound = await app.inject({ method: 'POST', url: '/inbound/gp-referral-json', headers: { 'content-type': 'application/json' }, payload: gpPayload })
  t.equal(inbound.statusCode, 201, 'pack 1 stored the referral')
  const referral = (await api.get(`ServiceRequest?subject:Patient.identifier=${NHS}|${gpPayload.person.nhsNumber as string}`)).body.entry[0].resource
  const crm = await outbound('crm-referral', referral.id)
  t.equal(crm.status, 200)
  t.match(crm.body, {
    sharing: { level: 'full', basis: 'consent-permits' },
    referral: {
      gatewayReferralId: referral.id,
      referralDate: '2026-11-02',
      referralType: 'link-worker',
      referrer: { name: 'Priya Shah', organisation: gpPayload.referrer.organisationName, odsCode: gpPayload.referrer.odsCode },
      receivingOrganisation: { name: gpPayload.receivingService.name }
    },
    client: { firstName: 'Margaret', lastName: 'Okafor', nhsNumber: gpPayload.person.nhsNumber, dateOfBirth: '1948-07-21', address: { postcode: 'LS6 2AB' } }
  })
  t.same(crm.body.needs.map((n: any) => n.category), ['social-isolation', 'bereavement'])
  // What a CRM's outcome report (pack 5) stores: a score linked to the referral.
  await api.created('Observation', outcome({ system: SNOMED, code: '718466001' }, referral.subject.reference.split('/')[1], score(23), { basedOn: [{ reference: `ServiceRequest/${referral.id as string}` }] }))
  const summary = await outbound('gp-outcome-summary', referral.id)
  t.match(summary.body, {
    patient: { nhsNumber: gpPayload.person.nhsNumber, familyName: 'Okafor' },
    referral: { gatewayReferralId: referral.id, taskStatus: 'requested', referrer: { odsCode: gpPayload.referrer.odsCode } },
    outcomes: [{ snomedCt: '718466001', score: 23 }]
  })
  const document = await outbound('gp-outcome-document', referral.id)
  t.equal(document.status, 200, 'the GP document of a pack-1 referral is valid R4')
  t.ok(document.body.entry.some((e: any) => e.resource.resourceType === 'PractitionerRole'), 'the referring clinician travels with it')
})

t.test('no personal data in the logs of the outbound path', async (t) => {
  const text = logs()
  t.match(text, /outbound payload made/)
  for (const personal of [...NHS_NUMBERS.slice(0, 7), '9434765919', 'Tester', 'Okafor', '1950-03-14', 'DN31 1AA', '07700 900001', 'widowed']) {
    t.notOk(text.includes(personal), `${personal} not logged`)
  }
})
