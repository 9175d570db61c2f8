/** The inbound dead-letter store (migration 005): sealed payloads and their metadata. */
import type { Queryable } from './database.js'

export interface DeadLetterMetadata {
  readonly id: string
  readonly mapping: string
  readonly sender: string
  readonly status: number
  readonly category: string
  readonly issueCount: number
  readonly payloadBytes: number
  readonly receivedAt: string
  readonly attempts: number
  readonly lastAttemptAt: string
  readonly replayedAt: string | undefined
  readonly replayLocation: string | undefined
}

export interface DeadLetter extends DeadLetterMetadata {
  readonly idempotencyKey: string
  readonly payloadSha256: string
  readonly sealed: string
}

export interface NewDeadLetter {
  readonly id: string
  readonly mapping: string
  readonly sender: string
  readonly idempotencyKey: string
  readonly payloadSha256: string
  readonly payloadBytes: number
  readonly status: number
  readonly category: string
  readonly issueCount: number
  readonly sealed: string
  readonly at: string
}

interface Row {
  id: string
  mapping: string
  sender: string
  idempotency_key: string
  payload_sha256: string
  payload_bytes: number
  status: number
  category: string
  issue_count: number
  sealed: string
  received_at: Date | string
  attempts: number
  last_attempt_at: Date | string
  replayed_at: Date | string | null
  replay_location: string | null
}

const iso = (value: Date | string): string => new Date(value).toISOString()

function fromRow (row: Row): DeadLetter {
  return {
    id: row.id,
    mapping: row.mapping,
    sender: row.sender,
    idempotencyKey: row.idempotency_key,
    payloadSha256: row.payload_sha256,
    payloadBytes: row.payload_bytes,
    status: row.status,
    category: row.category,
    issueCount: row.issue_count,
    sealed: row.sealed,
    receivedAt: iso(row.received_at),
    attempts: row.attempts,
    lastAttemptAt: iso(row.last_attempt_at),
    replayedAt: row.replayed_at === null ? undefined : iso(row.replayed_at),
    replayLocation: row.replay_location ?? undefined
  }
}

export async function insertDeadLetter (q: Queryable, letter: NewDeadLetter): Promise<void> {
  await q.query(
    `INSERT INTO inbound_dead_letter (id, mapping, sender, idempotency_key, payload_sha256, payload_bytes, status, category, issue_count, sealed, received_at, last_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
    [letter.id, letter.mapping, letter.sender, letter.idempotencyKey, letter.payloadSha256, letter.payloadBytes, letter.status, letter.category, letter.issueCount, letter.sealed, letter.at])
}

export async function readDeadLetter (q: Queryable, id: string): Promise<DeadLetter | undefined> {
  const { rows } = await q.query<Row>('SELECT * FROM inbound_dead_letter WHERE id = $1', [id])
  return rows[0] === undefined ? undefined : fromRow(rows[0])
}

export interface DeadLetterQuery {
  readonly mapping?: string
  /** Only letters not replayed yet. */
  readonly pending?: boolean
  readonly limit: number
  /** Paging: letters received before this one (its receivedAt and id). */
  readonly before?: { readonly receivedAt: string, readonly id: string }
}

/** Newest first. */
export async function listDeadLetters (q: Queryable, query: DeadLetterQuery): Promise<DeadLetterMetadata[]> {
  const params: unknown[] = []
  const where: string[] = []
  if (query.mapping !== undefined) { params.push(query.mapping); where.push(`mapping = $${params.length}`) }
  if (query.pending === true) where.push('replayed_at IS NULL')
  if (query.before !== undefined) {
    params.push(query.before.receivedAt, query.before.id)
    where.push(`(received_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`)
  }
  params.push(query.limit)
  const { rows } = await q.query<Row>(
    `SELECT * FROM inbound_dead_letter ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
     ORDER BY received_at DESC, id DESC LIMIT $${params.length}`, params)
  return rows.map(row => {
    const { sealed: _sealed, idempotencyKey: _key, payloadSha256: _hash, ...metadata } = fromRow(row)
    return metadata
  })
}

export async function markReplayed (q: Queryable, id: string, at: string, location: string): Promise<void> {
  await q.query('UPDATE inbound_dead_letter SET replayed_at = $2, replay_location = $3, attempts = attempts + 1, last_attempt_at = $2 WHERE id = $1', [id, at, location])
}

/** A replay that failed again: the new outcome (sealed with the payload) and status. */
export async function recordFailedReplay (q: Queryable, id: string, at: string, failure: { status: number, category: string, issueCount: number, sealed: string }): Promise<void> {
  await q.query(
    'UPDATE inbound_dead_letter SET attempts = attempts + 1, last_attempt_at = $2, status = $3, category = $4, issue_count = $5, sealed = $6 WHERE id = $1',
    [id, at, failure.status, failure.category, failure.issueCount, failure.sealed])
}
