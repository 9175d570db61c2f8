/**
 * Pack 4 through HTTP on a real database: a VCFSE CRM's status and attendance events move the
 * referral Task along the journey, version-checked, with illegal transitions, stale versions and
 * bad payloads rejected and nothing changed.
 */
import { test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helper.js'
import { client, CS, NHS_NUMBERS, person, referralTask, spReferral } from '../workflow/fixtures.js'

const REASON_TEXT = 'Moved to Leeds; asked us to close the referral'

async function inbound (app: FastifyInstance, payload: unknown, headers: Record<string, string> = {}): Promise<{ status: number, body: any }> {
  const res = await app.inject({ method: 'POST', url: '/inbound/crm-task-status', headers: { 'content-type': 'application/json', 'x-sender': 'crm-test', ...headers }, payload: JSON.stringify(payload) })
  return { status: res.statusCode, body: JSON.parse(res.body) }
}

const event = (gatewayTaskId: string, gatewayTaskVersion: number, body: Record<string, unknown>): Record<string, unknown> =>
  ({ eventId: `EVT-${gatewayTaskId}-${gatewayTaskVersion}`, gatewayTaskId, gatewayTaskVersion, occurredAt: '2026-11-20T10:00:00Z', ...body })

const codeOf = (concept: any, system: string): string | undefined => concept?.coding?.find((c: any) => c.system === system)?.code
const outputOf = (task: any, code: string): number | undefined => task.output?.find((o: any) => codeOf(o.type, CS('task-output')) === code)?.valueUnsignedInt

test('CRM status and attendance events move the referral Task', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const api = client(app)
  const patient = await api.created('Patient', person(NHS_NUMBERS[0], '1960-05-01'))
  const org = await api.created('Organization', { resourceType: 'Organization', name: 'Walking for Health' })
  const referral = await api.created('ServiceRequest', spReferral(patient.id))
  const task = await api.created('Task', referralTask(referral.id, patient.id, `Organization/${org.id}`))
  const read = async (): Promise<any> => (await api.get(`Task/${task.id as string}`)).body

  await t.test('accepted: status accepted, a new version, a Provenance naming the Task', async (t) => {
    const res = await inbound(app, event(task.id, 1, { event: 'accepted' }))
    t.equal(res.status, 201, JSON.stringify(res.body))
    const current = await read()
    t.equal(current.status, 'accepted')
    t.equal(current.meta.versionId, '2')
    t.equal(current.lastModified, '2026-11-20T10:00:00Z')
    const provenance = await api.get(`Provenance?target=Task/${task.id as string}`)
    t.equal(provenance.body.entry?.length, 1, 'the Provenance targets the patched Task')
    t.equal(provenance.body.entry?.[0]?.resource.activity.coding[0].code, 'UPDATE')
  })

  await t.test('a stale version is 412 and changes nothing', async (t) => {
    const res = await inbound(app, event(task.id, 1, { event: 'contacted', occurredAt: '2026-11-21T10:00:00Z' }))
    t.equal(res.status, 412)
    t.match(res.body.issue[0].details.text, /version 1 is not the current version/)
    t.equal((await read()).meta.versionId, '2')
  })

  await t.test('contacted, then the first appointment: in progress with the journey state', async (t) => {
    t.equal((await inbound(app, event(task.id, 2, { event: 'contacted' }))).status, 201)
    let current = await read()
    t.equal(current.status, 'in-progress')
    t.equal(codeOf(current.businessStatus, CS('journey-state')), 'contacted')
    t.equal((await inbound(app, event(task.id, 3, { event: 'first-appointment' }))).status, 201)
    current = await read()
    t.equal(codeOf(current.businessStatus, CS('journey-state')), 'initial-appointment')
    t.equal(current.meta.versionId, '4')
  })

  await t.test('attendance: counts as Task.output, replaced by the next report; regular is two thirds', async (t) => {
    t.equal((await inbound(app, event(task.id, 4, { event: 'attendance', sessions: { attended: 3, offered: 6 } }))).status, 201)
    let current = await read()
    t.equal(codeOf(current.businessStatus, CS('journey-state')), 'attending-irregularly')
    t.equal(outputOf(current, 'sessions-prescribed'), 6)
    t.equal(outputOf(current, 'sessions-attended'), 3)
    t.equal((await inbound(app, event(task.id, 5, { event: 'attendance', sessions: { attended: 6, offered: 8 } }))).status, 201)
    current = await read()
    t.equal(codeOf(current.businessStatus, CS('journey-state')), 'engaged-regularly')
    t.equal(current.output.length, 2, 'the counts are replaced, not added')
    t.equal(outputOf(current, 'sessions-prescribed'), 8)
    t.equal(outputOf(current, 'sessions-attended'), 6)
  })

  await t.test('a bad payload is 400 with every problem at its pointer, and nothing changes', async (t) => {
    const res = await inbound(app, { eventId: 'E', gatewayTaskId: task.id, gatewayTaskVersion: '6', event: 'closed', occurredAt: '20/11/2026', reason: { code: 'MOVED_AWAY', text: 'x' } })
    t.equal(res.status, 400)
    const locations = res.body.issue.flatMap((i: any) => i.location ?? [])
    t.same(['/gatewayTaskVersion', '/occurredAt', '/reason/code'].filter(p => !locations.includes(p)), [], 'every problem is named')
    t.equal((await read()).meta.versionId, '6')
  })

  await t.test('closed as withdrawn: cancelled with the reason, and the referral follows (revoked)', async (t) => {
    const res = await inbound(app, event(task.id, 6, { event: 'closed', reason: { code: 'WITHDREW', text: REASON_TEXT } }))
    t.equal(res.status, 201, JSON.stringify(res.body))
    const current = await read()
    t.equal(current.status, 'cancelled')
    t.equal(codeOf(current.statusReason, CS('task-status-reason')), 'withdrew')
    t.equal(current.statusReason.text, REASON_TEXT)
    t.equal(codeOf(current.businessStatus, CS('journey-state')), 'dropped-out')
    t.equal((await api.get(`ServiceRequest/${referral.id as string}`)).body.status, 'revoked')
  })

  await t.test('an illegal transition is 409 naming both states, and nothing changes', async (t) => {
    const res = await inbound(app, event(task.id, 7, { event: 'attendance', sessions: { attended: 7, offered: 8 } }))
    t.equal(res.status, 409)
    t.match(JSON.stringify(res.body), /cannot change from \\"cancelled\\" to \\"in-progress\\"/)
    const current = await read()
    t.equal(current.meta.versionId, '7')
    t.equal(outputOf(current, 'sessions-attended'), 6, 'the counts were not half-applied')
  })

  await t.test('a resend of the same payload repeats the first answer and stores nothing new', async (t) => {
    const payload = event(task.id, 6, { event: 'closed', reason: { code: 'WITHDREW', text: REASON_TEXT } })
    const again = await inbound(app, payload)
    t.equal(again.status, 201)
    t.equal((await read()).meta.versionId, '7')
  })

  await t.test('rejected with a reason; contacted before accepted is illegal; referred on to an activity; an unknown Task is 404', async (t) => {
    const patient2 = await api.created('Patient', person(NHS_NUMBERS[1], '1970-01-01'))
    const referral2 = await api.created('ServiceRequest', spReferral(patient2.id))
    const org = `Organization/${(await api.created('Organization', { resourceType: 'Organization', name: 'Arts on Prescription' })).id as string}`
    const first = await api.created('Task', referralTask(referral2.id, patient2.id, org))
    const second = await api.created('Task', referralTask(referral2.id, patient2.id, org))

    const early = await inbound(app, event(first.id, 1, { event: 'contacted' }))
    t.equal(early.status, 409)
    t.match(JSON.stringify(early.body), /from \\"requested\\" it may only go to accepted, rejected, cancelled/)
    t.equal((await api.get(`Task/${first.id as string}`)).body.meta.versionId, '1')

    const rejected = await inbound(app, event(second.id, 1, { event: 'rejected', reason: { code: 'NEEDS_TOO_COMPLEX', text: 'Needs specialist support first' } }))
    t.equal(rejected.status, 201)
    const task = (await api.get(`Task/${second.id as string}`)).body
    t.equal(task.status, 'rejected')
    t.equal(codeOf(task.statusReason, CS('task-status-reason')), 'too-complex')
    t.equal(codeOf(task.businessStatus, CS('journey-state')), 'returned-to-referrer')

    t.equal((await inbound(app, event(first.id, 1, { event: 'accepted' }))).status, 201)
    const onward = await inbound(app, event(first.id, 2, { event: 'onward-referred', gatewayReferralId: referral2.id, nhsNumber: NHS_NUMBERS[1], activity: { code: 'WALKING_GROUP' } }))
    t.equal(onward.status, 201, JSON.stringify(onward.body))
    const child = (await api.get(`ServiceRequest?based-on=ServiceRequest/${referral2.id as string}`)).body.entry?.[0]?.resource
    t.same(child?.code.coding, [{ system: CS('activity-category'), code: 'physical-activity' }], 'the CRM activity type as the national activity category')
    t.equal(child?.subject.reference, `Patient/${patient2.id as string}`)
    const afterOnward = (await api.get(`Task/${first.id as string}`)).body
    t.equal(afterOnward.status, 'in-progress')
    t.equal(codeOf(afterOnward.businessStatus, CS('journey-state')), 'onward-referred')

    const unknownTask = await inbound(app, event('no-such-task', 1, { event: 'accepted' }))
    t.equal(unknownTask.status, 404)
  })

  t.notMatch(logs(), REASON_TEXT, 'free text never reaches the logs')
})
