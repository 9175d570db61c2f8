/**
 * Idempotency receipts of inbound payloads (migration 005). `claimReceipt` runs first in the
 * storing transaction: on PostgreSQL a concurrent claim of the same key waits for this
 * transaction, then finds the row and returns false, so only one of two identical requests
 * stores anything.
 */
import type { Queryable } from './database.js'

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

export async function completeReceipt (tx: Queryable, mapping: string, key: string, status: number, response: string): Promise<void> {
  await tx.query('UPDATE inbound_receipt SET status = $3, response = $4 WHERE mapping = $1 AND idempotency_key = $2',
    [mapping, key, status, response], { prepare: true })
}

export async function readReceipt (q: Queryable, mapping: string, key: string): Promise<Receipt | undefined> {
  const { rows } = await q.query<{ payload_sha256: string, status: number, response: string }>(
    'SELECT payload_sha256, status, response FROM inbound_receipt WHERE mapping = $1 AND idempotency_key = $2',
    [mapping, key], { prepare: true })
  const row = rows[0]
  return row === undefined ? undefined : { payloadSha256: row.payload_sha256, status: row.status, response: row.response }
}
