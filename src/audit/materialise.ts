/**
 * Turns audit records into AuditEvent resources: each chunk is taken out of `audit_record` and
 * stored as AuditEvents (resource rows with their search index) in one transaction, so a record
 * is always in exactly one of the two places. An advisory lock makes the gateway processes
 * sharing a database take turns; a catch-up that waits on it sees the other's chunk committed.
 */
import type { FhirContext } from '../fhir/interactions/context.js'
import { stampResource } from '../fhir/interactions/stamp.js'
import type { Database } from '../store/database.js'
import { takeAuditRecords, type AuditRecordRow } from '../store/audit-records.js'
import { insertAllNew, insertNewResources, type NewResourceRow } from '../store/resources.js'
import { buildAuditEvent } from './build-audit-event.js'
import { parseStoredFacts } from './stored-facts.js'

/** Arbitrary constant: the advisory-lock key reserved for turning audit records into AuditEvents. */
const MATERIALISE_LOCK_KEY = 727_003

/** Turns up to `limit` records (with `recordedBy`, only those made by then); how many it turned. */
export async function materialiseAuditRecords (db: Database, ctx: Pick<FhirContext, 'index' | 'newId'>, fhirBaseUrl: string, limit: number, recordedBy?: string): Promise<number> {
  return await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MATERIALISE_LOCK_KEY])
    const records = await takeAuditRecords(tx, limit, recordedBy)
    if (records.length === 0) return 0
    const rows = records.map(record => auditEventRow(record, record.id, ctx, fhirBaseUrl))
    const inserted = await insertNewResources(tx, rows)
    // Server-assigned UUIDs do not collide, but if one ever did the record must not be lost:
    // it gets a new id rather than blocking every catch-up behind it.
    const clashed = records.filter(record => !inserted.has(`AuditEvent/${record.id}`))
    await insertAllNew(tx, clashed.map(record => auditEventRow(record, ctx.newId(), ctx, fhirBaseUrl)))
    return records.length
  })
}

// Server-built AuditEvents skip the validator: their shape is fixed by build-audit-event.ts, and
// test/audit/ proves every kind valid by sending it back through the validating create.
function auditEventRow (record: AuditRecordRow, id: string, ctx: Pick<FhirContext, 'index'>, fhirBaseUrl: string): NewResourceRow {
  const event = stampResource(buildAuditEvent(parseStoredFacts(record.facts), record.status, record.recorded, { fhirBaseUrl }), id, 1, record.recorded)
  return { type: 'AuditEvent', id, lastUpdated: record.recorded, json: JSON.stringify(event), index: ctx.index(event) }
}
