/** FHIR read and vread: https://hl7.org/fhir/R4/http.html#read */
import type { Queryable } from '../../store/database.js'
import { readCurrent, readCurrentWithin, readVersion, type ReadAudit, type ReadKey, type StoredVersion } from '../../store/resources.js'
import { GatewayError } from '../../errors.js'
import { accessOf } from '../../auth/access-policy.js'
import type { RequestContext } from './request-context.js'

/** Reads the current version of a resource; undefined if the id was never used. */
export type ReadCurrent = (key: ReadKey) => Promise<StoredVersion | undefined>

/**
 * `lock` holds the row until the surrounding transaction ends (read-modify-write). With a
 * restricted caller, a resource out of its reach is not known (404), whether or not it exists.
 */
export async function readResource (q: Queryable, type: string, id: string, lock = false, request?: RequestContext): Promise<StoredVersion & { json: string }> {
  const access = request === undefined ? undefined : accessOf(request.caller)
  const current = access === undefined ? await readCurrent(q, type, id, lock) : await readCurrentWithin(q, access.reach, type, id, lock)
  return requireLive(current, type, id)
}

/** The audit record of a read, stored in the read's own statement when the reader batches it. */
export interface AuditWithRead {
  readonly build: () => ReadAudit
  /** Called once the read and its record are committed, whatever was found. */
  readonly recorded: () => void
}

/**
 * A plain read outside any transaction: an unrestricted caller's goes through the (batching)
 * reader, a restricted caller's is one statement with its reach; either way its audit record,
 * if given, goes into the same statement.
 */
export async function readLiveResource (read: ReadCurrent, q: Queryable, type: string, id: string, request?: RequestContext, audit?: AuditWithRead): Promise<StoredVersion & { json: string }> {
  const access = request === undefined ? undefined : accessOf(request.caller)
  const record = audit?.build()
  const current = access !== undefined
    ? await readCurrentWithin(q, access.reach, type, id, false, record)
    : await read(record === undefined ? { type, id } : { type, id, audit: record })
  audit?.recorded()
  return requireLive(current, type, id)
}

export async function vreadResource (q: Queryable, type: string, id: string, versionId: string, request?: RequestContext): Promise<StoredVersion & { json: string }> {
  const reach = request === undefined ? undefined : accessOf(request.caller)?.reach
  const version = /^\d{1,9}$/.test(versionId) ? await readVersion(q, type, id, Number(versionId), reach) : undefined
  if (version === undefined) throw new GatewayError('not-found', `${type}/${id}/_history/${versionId} is not known`)
  if (version.deleted || version.json === null) throw new GatewayError('gone', `${type}/${id}/_history/${versionId} records a deletion`)
  return version as StoredVersion & { json: string }
}

function requireLive (current: StoredVersion | undefined, type: string, id: string): StoredVersion & { json: string } {
  if (current === undefined) throw new GatewayError('not-found', `${type}/${id} is not known`)
  if (current.deleted || current.json === null) throw new GatewayError('gone', `${type}/${id} has been deleted`)
  return current as StoredVersion & { json: string }
}
