/**
 * An audit record the gateway cannot turn into its AuditEvent (facts from another version, a row
 * damaged outside the gateway) must neither be lost nor hold up the records behind it: it becomes
 * an AuditEvent that says its facts could not be read and carries them as stored.
 */
import t from 'tap'
import type { AuditEvent } from '@medplum/fhirtypes'
import { materialiseAuditRecords } from '../../src/audit/materialise.js'
import { UNREADABLE_RECORD_SUBTYPE } from '../../src/audit/unreadable-record.js'
import { loadConfig } from '../../src/config.js'
import { createFhirContext } from '../../src/fhir/fhir-context.js'
import { migrate } from '../../src/store/migrate.js'
import { openDatabase } from '../../src/store/open.js'
import { isolatedDatabaseUrl } from '../helper.js'

const BASE = 'http://gateway.test/fhir'
const GOOD = JSON.stringify({ interaction: 'read', entities: [{ type: 'Patient', id: 'p1' }], requestId: 'req-good' })

t.test('unreadable records become AuditEvents that say so, and the good ones around them are turned as usual', async t => {
  const url = await isolatedDatabaseUrl(t)
  const db = await openDatabase(loadConfig({ DATA_DIR: ':memory:', ...(url === undefined ? {} : { DATABASE_URL: url }) }).store)
  t.teardown(async () => { await db.close() })
  await migrate(db)
  const ctx = createFhirContext({ profiles: new Map(), searchParameters: [], unknownProfile: 'reject', fhirBaseUrl: BASE, searchDefaultCount: 20, searchMaxCount: 100 })

  const records: Array<[id: string, facts: string]> = [
    ['good-1', GOOD],
    ['not-json', '{"interaction": "read", '],
    ['no-entities', '{"interaction":"read","requestId":"r"}'],
    ['bad id with spaces', GOOD],
    // Valid JSON, but \\u0000 cannot be a text value in PostgreSQL: the database refuses its index rows.
    ['nul-in-id', JSON.stringify({ interaction: 'read', entities: [{ type: 'Patient', id: 'p\u0000' }], requestId: 'r' })],
    ['good-2', GOOD]
  ]
  for (const [id, facts] of records) {
    await db.query("INSERT INTO audit_record (id, recorded, status, facts) VALUES ($1, '2026-11-21T10:00:00Z', 200, $2)", [id, facts])
  }

  t.equal(await materialiseAuditRecords(db, ctx, BASE, 100), records.length, 'every record is turned in one go')
  t.equal(Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_record')).rows[0]?.n), 0, 'none is left behind')
  const { rows } = await db.query<{ id: string, content: string }>("SELECT id, content::text AS content FROM resource WHERE resource_type = 'AuditEvent'")
  t.equal(rows.length, records.length, 'none is lost')
  const events = rows.map(r => JSON.parse(r.content) as AuditEvent)
  const unreadable = events.filter(e => e.subtype?.[0]?.code === UNREADABLE_RECORD_SUBTYPE.code)
  const reads = events.filter(e => e.subtype?.[0]?.code === 'read')
  t.equal(reads.length, 3, 'the readable records get their proper events')
  t.ok(reads.some(e => e.id === 'good-1') && reads.some(e => e.id === 'good-2'), 'under the ids they were given')
  t.equal(unreadable.length, 3, 'the broken JSON, the missing entities and the refused row are marked unreadable')
  for (const event of unreadable) {
    const stored = Buffer.from(event.entity?.[0]?.detail?.[0]?.valueBase64Binary ?? '', 'base64').toString('utf8')
    const record = records.find(([id]) => id === event.id || id === event.entity?.[0]?.what?.identifier?.value)
    t.equal(stored, record?.[1], `${record?.[0] ?? '?'}: its facts are kept as they were stored`)
    t.equal(event.outcome, '0', 'with the outcome of the request it records (HTTP 200)')
  }
  const findable = await db.query<{ n: string }>("SELECT count(*) AS n FROM search_token WHERE resource_type = 'AuditEvent' AND code = 'subtype' AND system = $1 AND value = $2", [UNREADABLE_RECORD_SUBTYPE.system, UNREADABLE_RECORD_SUBTYPE.code])
  t.equal(Number(findable.rows[0]?.n), 3, 'each is found by AuditEvent?subtype=urn:sp-gateway:audit|unreadable-record')
  t.notOk(rows.some(r => r.id === 'bad id with spaces'), 'an id that is not a FHIR id is replaced, so every AuditEvent can be read by its id')
})
