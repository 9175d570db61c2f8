/**
 * POST /inbound/gp-referral-json end to end on a real database: stored as one transaction with a
 * Provenance, idempotent (also for two identical requests at the same moment), bad payloads
 * answered precisely with nothing stored, every failure dead-lettered and never logged.
 */
import { readFileSync } from 'node:fs'
import { test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, FHIR, versionCount } from '../helper.js'

const MAPPING = 'gp-referral-json'
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(`mappings/${MAPPING}/fixtures/${name}.input.json`, 'utf8'))
const JSON_HEADERS = { 'content-type': 'application/json', 'x-sender': 'emis-practice-b86010' }
const STORED_TYPES = ['Patient', 'Organization', 'Practitioner', 'PractitionerRole', 'Consent', 'ServiceRequest', 'Condition', 'Task', 'Provenance']

async function post (app: FastifyInstance, payload: unknown, headers: Record<string, string> = {}): Promise<Awaited<ReturnType<FastifyInstance['inject']>>> {
  return await app.inject({ method: 'POST', url: `/inbound/${MAPPING}`, headers: { ...JSON_HEADERS, ...headers }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) })
}

async function storedCounts (app: FastifyInstance): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const type of STORED_TYPES) counts[type] = await versionCount(app, type)
  return counts
}

async function deadLetters (app: FastifyInstance): Promise<Array<Record<string, unknown>>> {
  const res = await app.inject({ method: 'GET', url: '/inbound/dead-letter?_count=200' })
  return res.json().items
}

test('inbound GP referrals (structured JSON)', async (t) => {
  const { app, logs } = await buildTestApp(t)

  await t.test('the normal referral is stored as one transaction with its Provenance', async (t) => {
    const payload = fixture('normal')
    const res = await post(app, payload)
    t.equal(res.statusCode, 201, res.body)
    const bundle = res.json()
    t.equal(bundle.type, 'transaction-response')
    const locations: string[] = bundle.entry.map((e: { response: { location: string } }) => e.response.location)
    t.same(locations.map(l => l.split('/')[0]), ['Patient', 'Organization', 'Practitioner', 'PractitionerRole', 'Organization', 'Consent', 'ServiceRequest', 'Condition', 'Condition', 'Task', 'Provenance'])

    const patients = (await app.inject({ method: 'GET', url: `${FHIR}/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919` })).json()
    t.equal(patients.entry.length, 1)
    const patientId = patients.entry[0].resource.id
    t.equal(patients.entry[0].resource.birthDate, '1948-07-21')

    const referral = (await app.inject({ method: 'GET', url: `${FHIR}/ServiceRequest?identifier=https://fhir.socialprescribing.example/Id/gp-referral-id|EMIS-2026-004512&_revinclude=Task:focus` })).json()
    const sr = referral.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'ServiceRequest').resource
    const task = referral.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Task').resource
    t.equal(sr.subject.reference, `Patient/${patientId}`)
    t.equal(sr.reasonReference.length, 2, 'the conditions are the referral\'s reasons')
    t.match(sr.requester.reference, /^PractitionerRole\//)
    t.equal(task.status, 'requested')
    t.equal(task.focus.reference, `ServiceRequest/${sr.id}`)
    t.equal(task.owner.reference, sr.performer[0].reference, 'the Task is for the receiving service')

    const provenanceId = locations.at(-1)?.split('/')[1]
    const provenance = (await app.inject({ method: 'GET', url: `${FHIR}/Provenance/${provenanceId}` })).json()
    t.equal(provenance.target.length, 10, 'the Provenance names every resource the payload made')
    t.ok(provenance.target.every((r: { reference: string }) => /^[A-Za-z]+\/[0-9a-f-]{36}$/.test(r.reference)), 'targets are the stored ids')
    t.same(provenance.policy, ['https://fhir.socialprescribing.example/StructureMap/gp-referral-json|1.1.0'])
    t.equal(provenance.agent[0].who.identifier.value, 'emis-practice-b86010', 'the sender')
    t.equal(provenance.agent[1].who.display, 'gp-referral-json 1.1.0', 'mapping name and version')
    const { createHash } = await import('node:crypto')
    t.equal(provenance.entity[0].what.identifier.value, createHash('sha256').update(JSON.stringify(payload)).digest('hex'), 'the SHA-256 of the payload bytes')
  })

  await t.test('minimal and awkward referrals are stored too; the Patient is found by NHS number', async (t) => {
    for (const name of ['minimal', 'awkward']) {
      const res = await post(app, fixture(name))
      t.equal(res.statusCode, 201, `${name}: ${res.body}`)
    }
    const again = { ...fixture('minimal'), referralId: 'S1-77-second', needs: [{ code: 'housing' }] }
    const before = await versionCount(app, 'Patient')
    t.equal((await post(app, again)).statusCode, 201)
    t.equal(await versionCount(app, 'Patient'), before, 'a second referral for the same person does not create another Patient')
    const awkward = (await app.inject({ method: 'GET', url: `${FHIR}/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919` })).json()
    t.equal(awkward.entry.length, 1, 'the spaced NHS number of the awkward referral found the same Patient')
  })

  await t.test('the same payload twice: the first answer again, nothing new stored', async (t) => {
    const payload = { ...fixture('minimal'), referralId: 'IDEMP-1' }
    const first = await post(app, payload)
    t.equal(first.statusCode, 201)
    const counts = await storedCounts(app)
    const second = await post(app, payload)
    t.equal(second.statusCode, 201)
    t.equal(second.headers['idempotent-replayed'], 'true')
    t.same(second.json(), first.json())
    t.same(await storedCounts(app), counts)
  })

  await t.test('Idempotency-Key: a retry with the same key is answered once; another payload under the key is refused', async (t) => {
    const payload = { ...fixture('minimal'), referralId: 'IDEMP-KEY-1' }
    const first = await post(app, payload, { 'idempotency-key': 'retry-42' })
    t.equal(first.statusCode, 201)
    const counts = await storedCounts(app)
    const again = await post(app, payload, { 'idempotency-key': 'retry-42' })
    t.equal(again.statusCode, 201)
    t.same(again.json(), first.json())
    const other = await post(app, { ...payload, referralId: 'IDEMP-KEY-2' }, { 'idempotency-key': 'retry-42' })
    t.equal(other.statusCode, 422)
    t.match(other.json().issue[0].details.text, /retry-42 was already used for a different payload/)
    t.same(await storedCounts(app), counts)
  })

  await t.test('identical requests at the same moment store once', async (t) => {
    const payload = { ...fixture('normal'), referralId: 'RACE-1' }
    const counts = await storedCounts(app)
    const answers = await Promise.all([1, 2, 3, 4].map(async () => await post(app, payload)))
    t.same(answers.map(a => a.statusCode), [201, 201, 201, 201])
    t.equal(answers.filter(a => a.headers['idempotent-replayed'] === 'true').length, 3, 'three are repeats of the first')
    for (const a of answers) t.same(a.json(), answers[0]?.json())
    const after = await storedCounts(app)
    t.equal(after.ServiceRequest, (counts.ServiceRequest ?? 0) + 1, 'one referral')
    t.equal(after.Task, (counts.Task ?? 0) + 1, 'one Task')
    t.equal(after.Provenance, (counts.Provenance ?? 0) + 1, 'one Provenance')

    const keyed = { ...fixture('minimal'), referralId: 'RACE-2' }
    const keyedAnswers = await Promise.all([1, 2, 3].map(async () => await post(app, keyed, { 'idempotency-key': 'race-key' })))
    t.same(keyedAnswers.map(a => a.statusCode), [201, 201, 201])
    t.equal((await storedCounts(app)).ServiceRequest, (after.ServiceRequest ?? 0) + 1, 'one referral for one Idempotency-Key')
  })

  await t.test('bad payloads: answered precisely, nothing stored, each dead-lettered', async (t) => {
    const base = fixture('minimal')
    const person = base.person as Record<string, unknown>
    const cases: Array<{ name: string, payload: unknown, status: number, location?: string, text: RegExp }> = [
      { name: 'wrong types', payload: { ...base, referralId: 12, needs: 'loneliness' }, status: 400, location: '/referralId', text: /must be string/ },
      { name: 'missing NHS number', payload: { ...base, person: { ...person, nhsNumber: undefined } }, status: 400, location: '/person/nhsNumber', text: /is required/ },
      { name: 'invalid NHS number', payload: { ...base, person: { ...person, nhsNumber: '9434765918' } }, status: 400, location: '/person/nhsNumber', text: /Modulus 11/ },
      { name: 'unknown need code', payload: { ...base, needs: [{ code: 'loneliness' }] }, status: 400, location: '/needs/0/code', text: /"loneliness" is not a code this mapping knows/ },
      { name: 'unknown condition code', payload: { ...base, conditions: [{ code: 'gout' }] }, status: 400, location: '/conditions/0/code', text: /"gout"/ },
      { name: 'bad date', payload: { ...base, person: { ...person, birthDate: '14/03/1950' } }, status: 400, location: '/person/birthDate', text: /must match pattern/ },
      { name: 'unknown field', payload: { ...base, favouriteColour: 'blue' }, status: 400, location: '/favouriteColour', text: /not a field/ },
      { name: 'not JSON', payload: '{"referralId": "x",', status: 400, location: '/', text: /is not JSON/ },
      { name: 'oversized', payload: { ...base, reasonText: 'x'.repeat(70_000) }, status: 413, text: /at most 65536 bytes/ }
    ]
    const counts = await storedCounts(app)
    const lettersBefore = (await deadLetters(app)).length
    for (const c of cases) {
      const res = await post(app, c.payload)
      t.equal(res.statusCode, c.status, `${c.name}: status`)
      const issues = res.json().issue as Array<{ severity: string, details: { text: string }, location?: string[] }>
      const errors = issues.filter(i => i.severity === 'error')
      t.ok(errors.some(i => c.text.test(i.details.text) && (c.location === undefined || i.location?.[0] === c.location)), `${c.name}: names the problem${c.location === undefined ? '' : ` at ${c.location}`}`)
      t.match(res.headers['x-dead-letter-id'], /^[0-9a-f-]{36}$/, `${c.name}: dead-lettered`)
      t.match(issues.at(-1)?.details.text, /dead letter .*\$replay/, `${c.name}: the answer says how to replay`)
    }
    t.same(await storedCounts(app), counts, 'nothing stored')
    t.equal((await deadLetters(app)).length, lettersBefore + cases.length)
  })

  await t.test('an unknown mapping is a 404 and is not kept', async (t) => {
    const lettersBefore = (await deadLetters(app)).length
    const res = await app.inject({ method: 'POST', url: '/inbound/no-such-mapping', headers: JSON_HEADERS, payload: '{}' })
    t.equal(res.statusCode, 404)
    t.equal((await deadLetters(app)).length, lettersBefore)
  })

  await t.test('the dead-letter list is metadata only', async (t) => {
    const bad = { ...fixture('normal'), person: { ...(fixture('normal').person as object), nhsNumber: '9434765918' } }
    const res = await post(app, bad)
    t.equal(res.statusCode, 400)
    const list = await app.inject({ method: 'GET', url: `/inbound/dead-letter?mapping=${MAPPING}&_count=1` })
    t.equal(list.statusCode, 200)
    const [newest] = list.json().items
    t.equal(newest.id, res.headers['x-dead-letter-id'], 'newest first')
    t.match(newest, { mapping: MAPPING, sender: 'emis-practice-b86010', status: 400, category: 'invalid', issueCount: 1, attempts: 1 })
    t.match(list.json().next, /before=/)
    for (const secret of ['9434765918', 'Okafor', 'Margaret', '1948-07-21', 'LS6 2AB', 'walking club']) {
      t.notOk(list.body.includes(secret), `the list does not show ${secret}`)
    }
    const page2 = await app.inject({ method: 'GET', url: list.json().next })
    t.not(page2.json().items[0].id, newest.id, 'the next page goes on from there')
  })

  await t.test('a replay of a dead letter the mapping still rejects fails again and says so', async (t) => {
    const res = await post(app, { ...fixture('minimal'), needs: [{ code: 'loneliness' }] })
    const id = res.headers['x-dead-letter-id'] as string
    const replay = await app.inject({ method: 'POST', url: `/inbound/dead-letter/${id}/$replay` })
    t.equal(replay.statusCode, 400)
    t.match(replay.json().issue[0].details.text, /loneliness/)
    const [letter] = (await app.inject({ method: 'GET', url: `/inbound/dead-letter?mapping=${MAPPING}&_count=1` })).json().items
    t.match(letter, { id, attempts: 2 })
    t.equal(letter.replayedAt, undefined)
    t.equal((await app.inject({ method: 'POST', url: '/inbound/dead-letter/00000000-0000-4000-8000-000000000000/$replay' })).statusCode, 404)
  })

  await t.test('nothing personal reaches the logs', async (t) => {
    const output = logs()
    for (const secret of ['9434765919', '9434765918', 'Okafor', 'Margaret', '1948-07-21', 'LS6 2AB', 'walking club', 'Lives alone', 'O\'Brien']) {
      t.notOk(output.includes(secret), `${secret} is not logged`)
    }
    t.match(output, /inbound payload rejected/)
  })
})
