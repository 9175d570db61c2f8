/**
 * Turns audit records into AuditEvent resources: each chunk is taken out of `audit_record` and
 * stored as AuditEvents (resource rows with their search index) in one transaction, so a record
 * is always in exactly one of the two places. An advisory lock makes the gateway processes
 * sharing a database take turns; a catch-up that waits on it sees the other's chunk committed.
 */
import type { AuditEvent } from '@medplum/fhirtypes'
import type { FhirContext } from '../fhir/interactions/context.js'
import { stampResource } from '../fhir/interactions/stamp.js'
import { ID_PATTERN } from '../fhir/resource-types.js'
import type { Database, Queryable } from '../store/database.js'
import { takeAuditRecords, type AuditRecordRow } from '../store/audit-records.js'
import { insertAllNew, insertNewResources, type NewResourceRow } from '../store/resources.js'
import { buildAuditEvent, type AuditEventSettings } from './build-audit-event.js'
import { parseStoredFacts } from './stored-facts.js'
import { unreadableRecordEvent } from './unreadable-record.js'

/** Arbitrary constant: the advisory-lock key reserved for turning audit records into AuditEvents. */
const MATERIALISE_LOCK_KEY = 727_003

/** Turns up to `limit` records (with `recordedBy`, only those made by then); how many it turned. */
export async function materialiseAuditRecords (db: Database, ctx: Pick<FhirContext, 'index' | 'newId'>, fhirBaseUrl: string, limit: number, recordedBy?: string): Promise<number> {
  return await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MATERIALISE_LOCK_KEY])
    const records = await takeAuditRecords(tx, limit, recordedBy)
    if (records.length === 0) return 0
    const settings = { fhirBaseUrl }
    const rows = records.map(record => auditEventRow(record, ctx, settings))
    const inserted = await insertChunk(tx, records, rows, ctx, settings)
    // Server-assigned UUIDs do not collide, but if one ever did the record must not be lost:
    // it gets a new id rather than blocking every catch-up behind it.
    const clashed = rows.filter(row => !inserted.has(`AuditEvent/${row.id}`))
    await insertAllNew(tx, clashed.map(row => ({ ...row, ...withId(row.json, ctx.newId()) })))
    return records.length
  })
}

/**
 * The chunk in one statement; if the database refuses it, each record on its own, and one it
 * still refuses as an unreadable record, so that one bad row never holds up the trail.
 */
async function insertChunk (tx: Queryable, records: readonly AuditRecordRow[], rows: NewResourceRow[], ctx: Pick<FhirContext, 'index' | 'newId'>, settings: AuditEventSettings): Promise<Set<string>> {
  await tx.query('SAVEPOINT audit_chunk')
  try {
    const inserted = await insertNewResources(tx, rows)
    await tx.query('RELEASE SAVEPOINT audit_chunk')
    return inserted
  } catch {
    await tx.query('ROLLBACK TO SAVEPOINT audit_chunk')
  }
  const inserted = new Set<string>()
  for (const [i, record] of records.entries()) {
    const row = rows[i] as NewResourceRow
    await tx.query('SAVEPOINT audit_record')
    let taken: Set<string>
    try {
      taken = await insertNewResources(tx, [row])
    } catch {
      await tx.query('ROLLBACK TO SAVEPOINT audit_record')
      const fallback = unreadableRow(record, ctx, settings)
      taken = await insertNewResources(tx, [fallback])
      rows[i] = fallback
    }
    await tx.query('RELEASE SAVEPOINT audit_record')
    for (const key of taken) inserted.add(key)
  }
  return inserted
}

// Server-built AuditEvents skip the validator: their shape is fixed by build-audit-event.ts, and
// test/audit/ proves every kind valid by sending it back through the validating create.
function auditEventRow (record: AuditRecordRow, ctx: Pick<FhirContext, 'index' | 'newId'>, settings: AuditEventSettings): NewResourceRow {
  try {
    return eventRow(buildAuditEvent(parseStoredFacts(record.facts), record.status, record.recorded, settings), record, ctx)
  } catch {
    return unreadableRow(record, ctx, settings)
  }
}

function unreadableRow (record: AuditRecordRow, ctx: Pick<FhirContext, 'index' | 'newId'>, settings: AuditEventSettings): NewResourceRow {
  return eventRow(unreadableRecordEvent(record, settings), record, ctx)
}

/** The record's event, stored under the record's id, or a fresh one if that is not a FHIR id. */
function eventRow (event: AuditEvent, record: AuditRecordRow, ctx: Pick<FhirContext, 'index' | 'newId'>): NewResourceRow {
  const id = ID_PATTERN.test(record.id) ? record.id : ctx.newId()
  const stamped = stampResource(event, id, 1, record.recorded)
  return { type: 'AuditEvent', id, lastUpdated: record.recorded, json: JSON.stringify(stamped), index: ctx.index(stamped) }
}

/** The same stored AuditEvent under another id. */
function withId (json: string, id: string): { id: string, json: string } {
  return { id, json: JSON.stringify({ ...JSON.parse(json), id }) }
}
