/**
 * With authentication on: AuditEvents name the real client (client id, organisation ODS code,
 * token id), refused scopes are audited as failed interactions, and failed authentications
 * (no token, a forged token, a bad client assertion) are audited as DICOM Login failures with the
 * claimed client id and source address but never the token or assertion.
 */
import { test } from 'tap'
import { randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import type { AuditEvent } from '@medplum/fhirtypes'
import { FHIR, FHIR_JSON, patient } from '../helper.js'
import { buildAuthedTestApp, newClientKey, signAssertion, tokenForm } from '../auth/helper.js'
import { referencesOf } from './support.js'

const ODS = 'https://fhir.nhs.uk/Id/ods-organization-code'
const DCM = 'http://dicom.nema.org/resources/ontology/DCM'

test('audit with real clients', async (t) => {
  const { app, bearer } = await buildAuthedTestApp(t, [
    { clientId: 'admin', role: 'admin', scopes: ['system/*.cruds'] },
    { clientId: 'gp-practice', role: 'gp-system', odsCode: 'A81001', scopes: ['system/Patient.cru'] }
  ])
  const admin = await bearer('admin')
  const gp = await bearer('gp-practice')
  /** The AuditEvents of one request id, searched by the admin. */
  const auditsOf = async (requestId: string): Promise<AuditEvent[]> => {
    const res = await app.inject({ method: 'GET', url: `${FHIR}/AuditEvent?entity:identifier=${requestId}`, headers: admin })
    t.equal(res.statusCode, 200)
    return (res.json().entry ?? []).map((entry: { resource: AuditEvent }) => entry.resource)
  }

  // A practice may create only patients registered with it (docs/access.md).
  const registeredWithThePractice = { ...patient('9000000009'), generalPractitioner: [{ type: 'Organization', identifier: { system: ODS, value: 'A81001' } }] }

  await t.test('the agent is the client, its organisation by ODS code and its token id', async (t) => {
    const created = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: { ...FHIR_JSON, ...gp, 'x-request-id': 'gp-create' }, payload: registeredWithThePractice })
    t.equal(created.statusCode, 201)
    const [event, ...others] = await auditsOf('gp-create')
    t.equal(others.length, 0)
    t.match(event, { subtype: [{ code: 'create' }], outcome: '0' })
    t.same(referencesOf(event as AuditEvent), [`Patient/${created.json().id as string}`])
    const client = event?.agent?.find(agent => agent.type?.coding?.[0]?.code === '110153')
    t.match(client, { who: { identifier: { value: 'gp-practice' } }, altId: 'gp-practice', requestor: false })
    t.match(client?.policy, [/^.+$/], 'the token id (jti), to trace the token grant')
    const organisation = event?.agent?.find(agent => agent.who?.identifier?.system === ODS)
    t.match(organisation, { who: { identifier: { value: 'A81001' } }, requestor: true, type: { coding: [{ code: 'AUT' }] } })
    const token = (gp.authorization ?? '').replace(/^Bearer /, '')
    t.notOk(JSON.stringify(event).includes(token), 'never the token')

    const byOrganisation = await app.inject({ method: 'GET', url: `${FHIR}/AuditEvent?agent:identifier=${ODS}|A81001&subtype=create`, headers: admin })
    t.equal(byOrganisation.json().entry?.length, 1, 'searchable by organisation')
  })

  await t.test("a practice's reads are audited with what it was answered: its own patient, one out of reach, one it already holds", async (t) => {
    const own = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: { ...FHIR_JSON, ...gp }, payload: registeredWithThePractice })
    const ownId = own.json().id as string
    const elsewhere = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: { ...FHIR_JSON, ...admin }, payload: patient('9000000017') })
    const elsewhereId = elsewhere.json().id as string
    const read = await app.inject({ method: 'GET', url: `${FHIR}/Patient/${ownId}`, headers: { ...gp, 'x-request-id': 'gp-read-own' } })
    t.equal(read.statusCode, 200)
    const hidden = await app.inject({ method: 'GET', url: `${FHIR}/Patient/${elsewhereId}`, headers: { ...gp, 'x-request-id': 'gp-read-other' } })
    t.equal(hidden.statusCode, 404)
    const held = await app.inject({ method: 'GET', url: `${FHIR}/Patient/${ownId}`, headers: { ...gp, 'x-request-id': 'gp-read-held', 'if-none-match': 'W/"1"' } })
    t.equal(held.statusCode, 304)
    const expected = [['gp-read-own', '0', 'HTTP 200', ownId], ['gp-read-other', '4', 'HTTP 404', elsewhereId], ['gp-read-held', '0', 'HTTP 304', ownId]] as const
    for (const [requestId, outcome, outcomeDesc, id] of expected) {
      const events = await auditsOf(requestId)
      t.equal(events.length, 1, requestId)
      t.match(events[0], { subtype: [{ code: 'read' }], outcome, outcomeDesc, agent: [{ altId: 'gp-practice' }] }, requestId)
      t.same(referencesOf(events[0] as AuditEvent), [`Patient/${id}`], requestId)
    }
  })

  await t.test('a refused scope is audited as a failed interaction of the authenticated client', async (t) => {
    const refused = await app.inject({ method: 'DELETE', url: `${FHIR}/Patient/any`, headers: { ...gp, 'x-request-id': 'gp-delete' } })
    t.equal(refused.statusCode, 403)
    const [event] = await auditsOf('gp-delete')
    t.match(event, { type: { code: 'rest' }, subtype: [{ code: 'delete' }], outcome: '4', outcomeDesc: 'HTTP 403', agent: [{ altId: 'gp-practice' }] })
  })

  await t.test('a request without a token is a failed Login, with its address', async (t) => {
    const res = await app.inject({ method: 'GET', url: `${FHIR}/Patient?family=Smith`, headers: { 'x-request-id': 'no-token' } })
    t.equal(res.statusCode, 401)
    const [event, ...others] = await auditsOf('no-token')
    t.equal(others.length, 0)
    t.match(event, {
      type: { system: DCM, code: '110114' },
      subtype: [{ system: DCM, code: '110122' }],
      action: 'E',
      outcome: '4',
      outcomeDesc: 'HTTP 401',
      agent: [{ network: { address: '127.0.0.1' } }]
    })
    t.equal(event?.agent?.[0]?.who, undefined, 'no client claimed, none recorded')
    t.match(event?.entity, [{ type: { code: 'Patient' } }, { type: { code: 'XrequestId' } }], 'what was attempted')
  })

  await t.test('a forged token is a failed Login naming the claimed client, not the token', async (t) => {
    const key = await newClientKey()
    const forged = await new SignJWT({ client_id: 'gp-practice', scope: 'system/*.cruds' })
      .setProtectedHeader({ alg: 'ES384' }).setSubject('gp-practice').setJti(randomUUID()).setExpirationTime('5m').sign(key.privateKey)
    const res = await app.inject({ method: 'GET', url: `${FHIR}/Patient/x`, headers: { authorization: `Bearer ${forged}`, 'x-request-id': 'forged' } })
    t.equal(res.statusCode, 401)
    const [event] = await auditsOf('forged')
    t.match(event, { type: { code: '110114' }, outcome: '4', agent: [{ altId: 'gp-practice', who: { identifier: { value: 'gp-practice' } } }] })
    t.notOk(JSON.stringify(event).includes(forged), 'never the token')
    t.equal(event?.agent?.[0]?.policy, undefined, 'no token id: it was not a token of ours')
  })

  await t.test('token requests are audited: a refused assertion with its claimed client, never the assertion', async (t) => {
    const key = await newClientKey()
    const assertion = await signAssertion('intruder', key)
    const refused = await app.inject({ method: 'POST', url: '/auth/token', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'bad-assertion' }, payload: tokenForm(assertion) })
    t.equal(refused.statusCode, 401)
    const [event] = await auditsOf('bad-assertion')
    t.match(event, { type: { code: '110114' }, subtype: [{ code: '110122' }], outcome: '4', outcomeDesc: 'HTTP 401', agent: [{ altId: 'intruder' }] })
    t.notOk(JSON.stringify(event).includes(assertion), 'never the assertion')

    const failures = await app.inject({ method: 'GET', url: `${FHIR}/AuditEvent?type=${DCM}|110114&outcome=4`, headers: admin })
    t.ok((failures.json().entry?.length ?? 0) >= 3, 'failed authentications are searchable together')
  })
})
