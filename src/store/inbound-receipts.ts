/**
 * Idempotency receipts of inbound payloads (migration 005). `claimReceipt` runs first in the
 * storing transaction: on PostgreSQL a concurrent claim of the same key waits for this
 * transaction, then finds the row and returns false, so only one of two identical requests
 * stores anything.
 */
import type { Queryable } from './database.js'
import { auditRecordParams, auditRecordsTable, type AuditRecordRow } from './audit-records.js'

export interface Receipt {
  readonly payloadSha256: string
  readonly status: number
  readonly response: string
}

export async function claimReceipt (tx: Queryable, mapping: string, key: string, payloadSha256: string): Promise<boolean> {
  const { rows } = await tx.query(
    `INSERT INTO inbound_receipt (mapping, idempotency_key, payload_sha256, status, response)
     VALUES ($1, $2, $3, 0, '') ON CONFLICT DO NOTHING RETURNING 1 AS claimed`,
    [mapping, key, payloadSha256], { prepare: true })
  return rows.length === 1
}

/** Stores the answer under the claimed key, and in the same statement the request's audit records. */
export async function completeReceipt (tx: Queryable, mapping: string, key: string, status: number, response: string, audits: readonly AuditRecordRow[] = []): Promise<void> {
  const update = 'UPDATE inbound_receipt SET status = $3, response = $4 WHERE mapping = $1 AND idempotency_key = $2'
  if (audits.length === 0) {
    await tx.query(update, [mapping, key, status, response], { prepare: true })
    return
  }
  await tx.query(
    `WITH audited AS (INSERT INTO audit_record (id, recorded, status, facts) SELECT id, recorded, status, facts FROM ${auditRecordsTable(5)} AS a)
     ${update}`,
    [mapping, key, status, response, ...auditRecordParams(audits)], { prepare: true })
}

export async function readReceipt (q: Queryable, mapping: string, key: string): Promise<Receipt | undefined> {
  const { rows } = await q.query<{ payload_sha256: string, status: number, response: string }>(
    'SELECT payload_sha256, status, response FROM inbound_receipt WHERE mapping = $1 AND idempotency_key = $2',
    [mapping, key], { prepare: true })
  const row = rows[0]
  return row === undefined ? undefined : { payloadSha256: row.payload_sha256, status: row.status, response: row.response }
}
