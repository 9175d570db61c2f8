/**
 * Versioned resource rows. The current version lives in `resource`; every replaced version moves
 * to `resource_history` in the same transaction. Content is read back as text so a read can be
 * sent without parsing it.
 */
import type { IndexRows } from './index-rows.js'
import type { Queryable } from './database.js'
import { indexDeleteStatements, indexInsertStatements, withStatements } from './search-index.js'
import { GatewayError } from '../errors.js'
import { reachTest, type Reach, type ReachMode } from './reach.js'
import type { SqlContext } from './search-conditions.js'
import { auditRecordParams, auditRecordsTable, jsonArrayOf, type AuditRecordRow } from './audit-records.js'

export interface StoredVersion {
  readonly resourceType: string
  readonly id: string
  readonly versionId: number
  readonly lastUpdated: string
  readonly deleted: boolean
  /** The resource JSON exactly as stored, or null for a deletion. */
  readonly json: string | null
}

interface VersionRow {
  resource_type: string
  id: string
  version_id: number
  last_updated: string
  deleted: boolean
  content: string | null
}

const COLUMNS = `resource_type, id, version_id,
  to_char(last_updated AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_updated,
  deleted, content::text AS content`

function toVersion (row: VersionRow): StoredVersion {
  return {
    resourceType: row.resource_type,
    id: row.id,
    versionId: Number(row.version_id),
    lastUpdated: row.last_updated,
    deleted: row.deleted,
    json: row.content
  }
}

/** A live resource's current row as the searches read it (only live rows, so no `deleted`). */
export interface LiveVersionRow {
  resource_type: string
  id: string
  version_id: number
  last_updated: string
  content: string
}

/** The select list of a LiveVersionRow, for a query that names the resource table `r`. */
export const LIVE_VERSION_COLUMNS = `r.resource_type, r.id, r.version_id,
  to_char(r.last_updated AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_updated, r.content::text AS content`

export function liveVersionOf (row: LiveVersionRow): StoredVersion {
  return { resourceType: row.resource_type, id: row.id, versionId: Number(row.version_id), lastUpdated: row.last_updated, deleted: false, json: row.content }
}

/** Version 1 of a new resource, as it will be stored. */
export interface NewResourceRow {
  readonly type: string
  readonly id: string
  readonly lastUpdated: string
  readonly json: string
  readonly index: IndexRows
}

/** An audit record that is stored only if the resource `owner` (`type/id`) goes in with it. */
export interface OwnedAuditRecord {
  readonly owner: string
  readonly record: AuditRecordRow
}

/**
 * Inserts version 1 of new resources with their search index, in one statement (one round trip,
 * committed on its own outside a transaction). A row whose id is already taken is skipped with
 * its index rows and its audit records; the others go in. Returns the keys (`type/id`) inserted.
 */
export async function insertNewResources (q: Queryable, rows: readonly NewResourceRow[], audits: readonly OwnedAuditRecord[] = []): Promise<Set<string>> {
  // Contents go as one JSON array (see jsonArrayOf): no per-character escaping in the driver.
  const params: unknown[] = [rows.map(r => r.type), rows.map(r => r.id), rows.map(r => r.lastUpdated), jsonArrayOf(rows.map(r => r.json))]
  const inserts = indexInsertStatements(
    rows.map(r => ({ type: r.type, id: r.id, rows: r.index })), params,
    '(resource_type, resource_id) IN (SELECT resource_type, id FROM inserted)'
  )
  if (audits.length > 0) {
    const first = params.length + 2
    params.push(audits.map(a => a.owner), ...auditRecordParams(audits.map(a => a.record)))
    inserts.push(`INSERT INTO audit_record (id, recorded, status, facts)
       SELECT a.id, a.recorded, a.status, a.facts FROM unnest($${first - 1}::text[]) WITH ORDINALITY AS o(owner, n)
       JOIN ${auditRecordsTable(first)} AS a USING (n)
       WHERE o.owner IN (SELECT resource_type || '/' || id FROM inserted)`)
  }
  const { rows: inserted } = await q.query<{ resource_type: string, id: string }>(
    `WITH inserted AS (
       INSERT INTO resource (resource_type, id, version_id, last_updated, deleted, content)
       SELECT type, id, 1, last_updated, false, content
       FROM unnest($1::text[], $2::text[], $3::timestamptz[]) WITH ORDINALITY AS batch(type, id, last_updated, n)
       JOIN json_array_elements($4::json) WITH ORDINALITY AS contents(content, n) USING (n)
       ON CONFLICT DO NOTHING RETURNING resource_type, id
     )${inserts.map((statement, i) => `, i${i} AS (${statement})`).join('')}
     SELECT resource_type, id FROM inserted`,
    params,
    { prepare: true }
  )
  return new Set(inserted.map(row => `${row.resource_type}/${row.id}`))
}

/**
 * Inserts version 1 of resources that must all be new (inside a transaction: bulk loads,
 * published conformance resources). Throws, naming them, if any id is already taken or given twice.
 */
export async function insertAllNew (q: Queryable, rows: readonly NewResourceRow[]): Promise<void> {
  if (rows.length === 0) return
  const inserted = await insertNewResources(q, rows)
  if (inserted.size === rows.length) return
  const keys = rows.map(r => `${r.type}/${r.id}`)
  const taken = [...new Set(keys.filter((key, i) => !inserted.has(key) || keys.indexOf(key) !== i))]
  throw new GatewayError('conflict', `Already exist or given twice: ${taken.slice(0, 5).join(', ')}${taken.length > 5 ? ' …' : ''}`)
}

/** The current version, or undefined if the id was never used. `lock` holds the row until commit. */
export async function readCurrent (q: Queryable, type: string, id: string, lock = false): Promise<StoredVersion | undefined> {
  const { rows } = await q.query<VersionRow>(
    `SELECT ${COLUMNS} FROM resource WHERE resource_type = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    [type, id],
    { prepare: true }
  )
  return rows[0] === undefined ? undefined : toVersion(rows[0])
}

/** A read by id, with the audit record of the request that asked for it, if any. */
export interface ReadKey {
  readonly type: string
  readonly id: string
  readonly audit?: ReadAudit
}

/**
 * Recorded in the same statement as the read, so one round trip and one commit serve both. The
 * status is decided there from what was found: 200, 304 (the client already holds `heldVersion`),
 * 404 (never used) or 410 (deleted).
 */
export interface ReadAudit {
  readonly record: AuditRecordRow
  readonly heldVersion?: number
}

/** The status a read by id answers, from its row `found` (null when none) and the version the client holds. */
function answeredStatus (found: string, held: string): string {
  return `CASE WHEN ${found}.id IS NULL THEN 404 WHEN ${found}.deleted THEN 410 WHEN ${found}.version_id = ${held} THEN 304 ELSE 200 END`
}

/** The current versions of many resources in one statement, by `type/id`. */
export async function readCurrentMany (q: Queryable, keys: readonly ReadKey[]): Promise<Map<string, StoredVersion>> {
  const type = keys[0]?.type
  // One type (the usual case) is a plain index scan over `id = ANY`; mixed types join the pairs.
  const oneType = keys.every(k => k.type === type)
  const found = oneType
    ? `SELECT ${COLUMNS} FROM resource WHERE resource_type = $1 AND id = ANY($2::text[])`
    : `SELECT ${COLUMNS} FROM resource WHERE (resource_type, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`
  const params: unknown[] = oneType ? [type, keys.map(k => k.id)] : [keys.map(k => k.type), keys.map(k => k.id)]
  const audited = keys.flatMap(k => k.audit === undefined ? [] : [{ key: k, audit: k.audit }])
  if (audited.length === 0) {
    const { rows } = await q.query<VersionRow>(found, params, { prepare: true })
    return new Map(rows.map(row => [`${row.resource_type}/${row.id}`, toVersion(row)]))
  }
  params.push(audited.map(a => a.key.type), audited.map(a => a.key.id), audited.map(a => a.audit.heldVersion ?? null), ...auditRecordParams(audited.map(a => a.audit.record)))
  const { rows } = await q.query<VersionRow>(
    `WITH found AS (${found}),
     audited AS (
       INSERT INTO audit_record (id, recorded, status, facts)
       SELECT a.id, a.recorded,
         ${answeredStatus('f', 'k.held')},
         a.facts
       FROM unnest($3::text[], $4::text[], $5::int[]) WITH ORDINALITY AS k(type, id, held, n)
       JOIN ${auditRecordsTable(6)} AS a USING (n)
       LEFT JOIN found f ON f.resource_type = k.type AND f.id = k.id
     )
     SELECT * FROM found`,
    params,
    { prepare: true }
  )
  return new Map(rows.map(row => [`${row.resource_type}/${row.id}`, toVersion(row)]))
}

/**
 * The current version when it is within the caller's reach; undefined otherwise (never used, or
 * out of reach: the caller cannot tell which). Index rows exist only for live resources, so a
 * deleted resource whose reach depends on them is out of reach too.
 */
export async function readCurrentWithin (q: Queryable, reach: Reach, type: string, id: string, lock = false, audit?: ReadAudit): Promise<StoredVersion | undefined> {
  const ctx: SqlContext = { params: [type, id], next: 0, valueSets: new Map() }
  const test = reachTest(ctx, reach, 'read', type, 'r.id')
  const read = `SELECT ${COLUMNS} FROM resource r WHERE resource_type = $1 AND id = $2 AND ${test}${lock ? ' FOR UPDATE OF r' : ''}`
  if (audit === undefined) {
    const { rows } = await q.query<VersionRow>(read, ctx.params)
    return rows[0] === undefined ? undefined : toVersion(rows[0])
  }
  // The audit record goes into the read's own statement, as in readCurrentMany; out of reach is 404.
  const first = ctx.params.length + 1
  ctx.params.push(audit.heldVersion ?? null, ...auditRecordParams([audit.record]))
  const { rows } = await q.query<VersionRow>(
    `WITH found AS (${read}),
     audited AS (
       INSERT INTO audit_record (id, recorded, status, facts)
       SELECT a.id, a.recorded,
         ${answeredStatus('f', `$${first}::int`)},
         a.facts
       FROM ${auditRecordsTable(first + 1)} AS a LEFT JOIN found f ON true
     )
     SELECT * FROM found`,
    ctx.params
  )
  return rows[0] === undefined ? undefined : toVersion(rows[0])
}

/** Whether the current version of type/id (as this transaction sees it) is within reach for `mode`. */
export async function isWithinReach (q: Queryable, reach: Reach, mode: ReachMode, type: string, id: string): Promise<boolean> {
  const ctx: SqlContext = { params: [type, id], next: 0, valueSets: new Map() }
  const test = reachTest(ctx, reach, mode, type, 'r.id')
  const { rows } = await q.query<{ ok: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM resource r WHERE r.resource_type = $1 AND r.id = $2 AND NOT r.deleted AND ${test}) AS ok`,
    ctx.params
  )
  return rows[0]?.ok === true
}

/**
 * One version, or undefined. With `reach`, only of a resource whose current version is within
 * it: access to a resource's history follows access to the resource as it is now.
 */
export async function readVersion (q: Queryable, type: string, id: string, versionId: number, reach?: Reach): Promise<StoredVersion | undefined> {
  if (reach !== undefined) {
    if (await readCurrentWithin(q, reach, type, id) === undefined) return undefined
  }
  const { rows } = await q.query<VersionRow>(
    `SELECT ${COLUMNS} FROM resource WHERE resource_type = $1 AND id = $2 AND version_id = $3
     UNION ALL
     SELECT ${COLUMNS} FROM resource_history WHERE resource_type = $1 AND id = $2 AND version_id = $3`,
    [type, id, versionId],
    { prepare: true }
  )
  return rows[0] === undefined ? undefined : toVersion(rows[0])
}

/**
 * Replaces the current version (which the caller has locked with readCurrent(…, true)) by
 * `versionId`, moving the old one to history and replacing its search index. json null records
 * a deletion, which leaves no index rows.
 */
export async function replaceResource (
  q: Queryable, type: string, id: string, versionId: number, lastUpdated: string, json: string | null, index: IndexRows | null
): Promise<void> {
  await q.query(
    `INSERT INTO resource_history (resource_type, id, version_id, last_updated, deleted, content)
     SELECT resource_type, id, version_id, last_updated, deleted, content FROM resource
     WHERE resource_type = $1 AND id = $2`,
    [type, id],
    { prepare: true }
  )
  const params: unknown[] = [type, id, versionId, lastUpdated, json === null, json]
  const inserts = index === null ? [] : indexInsertStatements([{ type, id, rows: index }], params)
  await q.query(withStatements([
    `UPDATE resource SET version_id = $3, last_updated = $4, deleted = $5, content = $6::json
     WHERE resource_type = $1 AND id = $2`,
    ...indexDeleteStatements(),
    ...inserts
  ]), params, { prepare: true })
}

export interface HistoryCursor {
  readonly lastUpdated: string
  readonly id: string
  readonly versionId: number
}

export interface HistoryQuery {
  readonly type: string
  /** Instance history when set; type history otherwise. */
  readonly id?: string
  readonly since?: string
  /** Return versions strictly older than this position (newest first). */
  readonly before?: HistoryCursor
  readonly limit: number
  /** A restricted caller's reach: only versions of resources whose current version is within it. */
  readonly reach?: Reach
}

/** Versions newest first, keyset-paged by (last_updated, id, version_id). */
export async function readHistory (q: Queryable, query: HistoryQuery): Promise<StoredVersion[]> {
  const params: unknown[] = []
  const conditions = historyConditions(query, params)
  if (query.before !== undefined) {
    params.push(query.before.lastUpdated, query.before.id, query.before.versionId)
    const n = params.length
    conditions.push(`(last_updated, id, version_id) < ($${n - 2}::timestamptz, $${n - 1}, $${n})`)
  }
  params.push(query.limit)
  const where = conditions.join(' AND ')
  const order = 'ORDER BY last_updated DESC, id DESC, version_id DESC'
  const { rows } = await q.query<VersionRow>(
    `SELECT * FROM (
       (SELECT ${COLUMNS} FROM resource WHERE ${where} ${order} LIMIT $${params.length})
       UNION ALL
       (SELECT ${COLUMNS} FROM resource_history WHERE ${where} ${order} LIMIT $${params.length})
     ) AS versions ORDER BY last_updated DESC, id DESC, version_id DESC LIMIT $${params.length}`,
    params,
    { prepare: query.reach === undefined }
  )
  return rows.map(toVersion)
}

/** Counts versions for history Bundle.total. */
export async function countHistory (q: Queryable, query: Omit<HistoryQuery, 'before' | 'limit'>): Promise<number> {
  // Statements with reach are built per caller: not prepared (see QueryOptions.prepare).
  const params: unknown[] = []
  const where = historyConditions(query, params).join(' AND ')
  const { rows } = await q.query<{ n: string }>(
    `SELECT (SELECT count(*) FROM resource WHERE ${where}) + (SELECT count(*) FROM resource_history WHERE ${where}) AS n`,
    params,
    { prepare: query.reach === undefined }
  )
  return Number(rows[0]?.n ?? 0)
}

/** The type, instance and _since conditions shared by history pages and their count. */
function historyConditions (query: Omit<HistoryQuery, 'before' | 'limit'>, params: unknown[]): string[] {
  params.push(query.type)
  const conditions = [`resource_type = $${params.length}`]
  if (query.id !== undefined) {
    params.push(query.id)
    conditions.push(`id = $${params.length}`)
  }
  if (query.since !== undefined) {
    params.push(query.since)
    conditions.push(`last_updated >= $${params.length}::timestamptz`)
  }
  if (query.reach !== undefined) {
    // Both tables' rows are tested by their id against the current version's reach.
    const ctx: SqlContext = { params, next: 0, valueSets: new Map() }
    conditions.push(reachTest(ctx, query.reach, 'read', query.type, 'id'))
  }
  return conditions
}

/** Takes a transaction-scoped advisory lock on a string key (conditional interactions). */
export async function lockKey (q: Queryable, key: string): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key], { prepare: true })
}
