/**
 * Which requests catch the audit trail up before they run: everything that could read an
 * AuditEvent must (or it would miss recent records), and plain reads and writes of other types
 * must not (or every request would pay for it).
 */
import { test } from 'tap'
import { readsAuditEvents } from '../../src/audit/reads-audit-events.js'

test('requests that may read AuditEvents are caught up first', async (t) => {
  const yes: Array<[string, string, unknown?]> = [
    ['GET', '/fhir/AuditEvent?date=ge2026-01-01'],
    ['GET', '/fhir/AuditEvent/123'],
    ['GET', '/fhir/AuditEvent/123/_history/1'],
    ['GET', '/fhir/AuditEvent/_history'],
    ['GET', '/fhir/Audit%45vent?entity=Patient/1'],
    ['GET', '/fhir/Patient?_has:AuditEvent:patient:outcome=0'],
    ['GET', '/fhir/Patient?_revinclude=AuditEvent:patient'],
    ['GET', '/fhir/Task?_revinclude=*'],
    ['GET', '/fhir/Task?_include:iterate=*'],
    ['GET', '/fhir/Task?_include=%2A'],
    ['GET', '/fhir?_type=Patient'],
    ['GET', '/fhir'],
    ['GET', '/fhir/'],
    ['GET', '/fhir/_history'],
    ['POST', '/fhir/_search', '_type=Patient'],
    ['POST', '/fhir/AuditEvent/_search', 'date=ge2026-01-01'],
    ['POST', '/fhir/Task/_search', { _revinclude: '*' }],
    ['POST', '/fhir/Patient/_search', { '_has:AuditEvent:patient:outcome': '0' }],
    ['POST', '/fhir/Patient/_search', '_revinclude=AuditEvent%3Apatient'],
    ['POST', '/fhir', { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: 'AuditEvent?outcome=4' } }] }],
    ['POST', '/fhir/', { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: '/_history' } }] }],
    ['POST', '/fhir', { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: 'Task?_revinclude=*' } }] }]
  ]
  const no: Array<[string, string, unknown?]> = [
    ['GET', '/fhir/ServiceRequest/123'],
    ['GET', '/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009'],
    ['GET', '/fhir/Task?_include=Task:focus&_count=10'],
    ['GET', '/fhir/metadata'],
    ['GET', '/healthz'],
    ['POST', '/fhir/ServiceRequest', { resourceType: 'ServiceRequest', note: [{ text: '*' }] }],
    ['POST', '/fhir/Task/_search', { owner: 'Organization/1' }],
    ['POST', '/fhir', { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'POST', url: 'Patient' } }] }],
    // Malformed Bundles are refused later, by the Bundle route; this must not throw on them.
    ['POST', '/fhir', { resourceType: 'Bundle', type: 'transaction', entry: {} }],
    ['POST', '/fhir', { resourceType: 'Bundle', type: 'batch', entry: [null, 3, { request: 'x' }, { request: { url: 7 } }] }],
    ['POST', '/fhir', 'not json'],
    ['GET', '/fhir/Patient?name=%E0%A4%A']
  ]
  for (const [method, url, body] of yes) t.equal(readsAuditEvents(method, url, body), true, `${method} ${url} ${JSON.stringify(body) ?? ''}`)
  for (const [method, url, body] of no) t.equal(readsAuditEvents(method, url, body), false, `${method} ${url} ${JSON.stringify(body) ?? ''}`)
})
