/**
 * Properties of the trail as a whole: every AuditEvent the gateway writes is valid R4 (sent back
 * through the validating create), holds no personal data or search values, reading the trail
 * audits the read without ever auditing the audit write, and concurrent reads each get their
 * own durable record.
 */
import { test } from 'tap'
import type { AuditEvent } from '@medplum/fhirtypes'
import { buildTestApp, FHIR, FHIR_JSON, holdsValue, patient, referral } from '../helper.js'
import { auditsOfRequest, findAudits, requestIdsOf } from './support.js'

const NHS = 'https://fhir.nhs.uk/Id/nhs-number'
const NHS_NUMBER = '9000000009'
const FAMILY = 'Quenby'
const BIRTH_DATE = '1950-03-14'

test('the audit trail', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const created = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: patient(NHS_NUMBER, FAMILY) })
  const id = created.json().id as string
  // A spread of interactions and outcomes, each carrying personal data in its URL or body.
  await app.inject({ method: 'GET', url: `${FHIR}/Patient?identifier=${NHS}|${NHS_NUMBER}&family=${FAMILY}&birthdate=${BIRTH_DATE}` })
  await app.inject({ method: 'GET', url: `${FHIR}/Patient?family:exact=${FAMILY}&bogus=${NHS_NUMBER}` })
  await app.inject({ method: 'POST', url: `${FHIR}/Patient/_search`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `family=${FAMILY}` })
  await app.inject({ method: 'PUT', url: `${FHIR}/Patient?identifier=${NHS}|${NHS_NUMBER}`, headers: FHIR_JSON, payload: { ...patient(NHS_NUMBER, FAMILY), gender: 'female' } })
  await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: { ...patient(NHS_NUMBER, FAMILY), birthDate: 'not a date' } })
  await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}/_history?_since=2020-01-01` })
  await app.inject({ method: 'GET', url: `${FHIR}/ValueSet/$expand?url=${encodeURIComponent('http://hl7.org/fhir/ValueSet/administrative-gender')}&filter=${FAMILY}` })
  await app.inject({
    method: 'POST',
    url: FHIR,
    headers: FHIR_JSON,
    payload: { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: referral({ subject: { reference: `Patient/${id}` } }), request: { method: 'POST', url: 'ServiceRequest' } }, { request: { method: 'GET', url: `Patient?family=${FAMILY}` } }] }
  })

  t.test('holds no personal data or search values, only references', async (t) => {
    const events = await findAudits(app, 'date=ge2000-01-01')
    t.ok(events.length >= 9, `${events.length} AuditEvents`)
    const text = JSON.stringify(events) + events.flatMap(event => (event.entity ?? []).map(entity => entity.query === undefined ? '' : Buffer.from(entity.query, 'base64').toString('utf8'))).join('\n')
    for (const secret of [NHS_NUMBER, FAMILY, BIRTH_DATE, 'not a date']) t.notOk(text.includes(secret), `no ${secret}`)
    t.ok(text.includes(`Patient/${id}`), 'the patient is named by reference')
  })

  t.test('every AuditEvent the gateway writes is valid R4', async (t) => {
    const events = await findAudits(app, 'date=ge2000-01-01')
    const subtypes = new Set(events.map(event => event.subtype?.[0]?.code))
    t.ok(['create', 'update', 'search-type', 'history-instance', 'operation', 'transaction'].every(code => subtypes.has(code)), 'every kind written above is checked')
    for (const event of events) {
      const { id: _id, meta: _meta, ...copy } = event
      const res = await app.inject({ method: 'POST', url: `${FHIR}/AuditEvent`, headers: FHIR_JSON, payload: copy })
      t.equal(res.statusCode, 201, `${event.subtype?.[0]?.code ?? ''} ${event.outcome ?? ''}: ${res.statusCode === 201 ? 'valid' : res.body}`)
    }
  })

  t.test('reading the trail is audited, and writing the trail never audits itself', async (t) => {
    const count = async (requestId: string): Promise<number> => {
      const res = await app.inject({ method: 'GET', url: `${FHIR}/AuditEvent?_summary=count`, headers: { 'x-request-id': requestId } })
      return res.json().total as number
    }
    const first = await count('count-1')
    const second = await count('count-2')
    const third = await count('count-3')
    t.equal(second, first + 1, 'one AuditEvent for the first count, none for writing it')
    t.equal(third, second + 1)
    t.match(await auditsOfRequest(app, 'count-1'), [{ subtype: [{ code: 'search-type' }], entity: [{ type: { code: 'AuditEvent' } }] }])
  })

  t.test('concurrent reads each commit their own AuditEvent before their answer', async (t) => {
    const ids = Array.from({ length: 40 }, (_, i) => `concurrent-${i}`)
    const answers = await Promise.all(ids.map(async requestId => await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}`, headers: { 'x-request-id': requestId } })))
    t.ok(answers.every(res => res.statusCode === 200))
    const events = await findAudits(app, `entity=Patient/${id}&subtype=read`)
    const recorded = events.flatMap(requestIdsOf)
    t.same(ids.filter(requestId => !recorded.includes(requestId)), [], 'every read has its record')
    t.equal(recorded.filter(requestId => requestId.startsWith('concurrent-')).length, 40, 'and only one each')
  })

  t.test('endpoints that touch no resources are not audited', async (t) => {
    for (const url of ['/healthz', '/readyz', `${FHIR}/metadata`]) {
      await app.inject({ method: 'GET', url, headers: { 'x-request-id': `plain-${url.replace(/\W/g, '')}` } })
      t.same(await auditsOfRequest(app, `plain-${url.replace(/\W/g, '')}`), [], url)
    }
  })

  t.test('logs stay free of personal data', async (t) => {
    for (const secret of [NHS_NUMBER, FAMILY, BIRTH_DATE]) t.notOk(holdsValue(logs(), secret), `no ${secret} in logs`)
  })
})

