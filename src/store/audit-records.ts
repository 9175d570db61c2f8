/**
 * Audit records as requests write them (table `audit_record`, migration 007): the AuditEvent's
 * id and time, the HTTP status, and the facts as JSON. They are the durable trail until they are
 * turned into AuditEvent resources (src/audit/materialise.ts), which takes them out of this table
 * in the same transaction.
 */
import type { Queryable } from './database.js'

export interface AuditRecordRow {
  /** The id its AuditEvent will have. */
  readonly id: string
  /** ISO 8601 instant. */
  readonly recorded: string
  readonly status: number
  /** JSON of the facts (src/audit/stored-facts.ts); never personal data. */
  readonly facts: string
}

/**
 * The records as four statement parameters: ids, times and statuses as arrays, and the facts as
 * one JSON array (they are JSON already: joined, they need no escaping, which for text arrays
 * the driver does character by character).
 */
export function auditRecordParams (rows: readonly AuditRecordRow[]): unknown[] {
  return [rows.map(r => r.id), rows.map(r => r.recorded), rows.map(r => r.status), jsonArrayOf(rows.map(r => r.facts))]
}

/** The rows bound by auditRecordParams from `$first` on, as a table (id, recorded, status, facts, n). */
export function auditRecordsTable (first: number): string {
  return `(SELECT u.id, u.recorded, u.status, f.value::text AS facts, u.n
     FROM unnest($${first}::text[], $${first + 1}::timestamptz[], $${first + 2}::smallint[]) WITH ORDINALITY AS u(id, recorded, status, n)
     JOIN json_array_elements($${first + 3}::json) WITH ORDINALITY AS f(value, n) USING (n))`
}

/** JSON texts as one JSON array, without parsing or re-escaping them. */
export function jsonArrayOf (jsonTexts: readonly string[]): string {
  return `[${jsonTexts.join(',')}]`
}

export async function insertAuditRecords (q: Queryable, rows: readonly AuditRecordRow[]): Promise<void> {
  if (rows.length === 0) return
  await q.query(
    `INSERT INTO audit_record (id, recorded, status, facts) SELECT id, recorded, status, facts FROM ${auditRecordsTable(1)} AS a`,
    auditRecordParams(rows),
    { prepare: true }
  )
}

/**
 * Takes up to `limit` records out of the table, inside `tx`: they are gone only if `tx` commits.
 * With `recordedBy` (ISO 8601), only records made by then. Callers serialise through a lock
 * (see materialise.ts), so two never take the same rows.
 */
export async function takeAuditRecords (tx: Queryable, limit: number, recordedBy?: string): Promise<AuditRecordRow[]> {
  const { rows } = await tx.query<{ id: string, recorded: string, status: number, facts: string }>(
    `DELETE FROM audit_record WHERE ctid = ANY(ARRAY(
       SELECT ctid FROM audit_record WHERE $2::timestamptz IS NULL OR recorded <= $2::timestamptz LIMIT $1))
     RETURNING id, to_char(recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded, status, facts`,
    [limit, recordedBy ?? null]
  )
  return rows.map(row => ({ id: row.id, recorded: row.recorded, status: Number(row.status), facts: row.facts }))
}
