/** FHIR read and vread: https://hl7.org/fhir/R4/http.html#read */
import type { Queryable } from '../../store/database.js'
import type { ResourceKey } from '../../store/read-batcher.js'
import { readCurrent, readVersion, type StoredVersion } from '../../store/resources.js'
import { GatewayError } from '../../errors.js'

/** Reads the current version of a resource; undefined if the id was never used. */
export type ReadCurrent = (key: ResourceKey) => Promise<StoredVersion | undefined>

/** `lock` holds the row until the surrounding transaction ends (read-modify-write). */
export async function readResource (q: Queryable, type: string, id: string, lock = false): Promise<StoredVersion & { json: string }> {
  return requireLive(await readCurrent(q, type, id, lock), type, id)
}

/** A plain read outside any transaction, through a (batching) reader. */
export async function readLiveResource (read: ReadCurrent, type: string, id: string): Promise<StoredVersion & { json: string }> {
  return requireLive(await read({ type, id }), type, id)
}

export async function vreadResource (q: Queryable, type: string, id: string, versionId: string): Promise<StoredVersion & { json: string }> {
  const version = /^\d{1,9}$/.test(versionId) ? await readVersion(q, type, id, Number(versionId)) : undefined
  if (version === undefined) throw new GatewayError('not-found', `${type}/${id}/_history/${versionId} is not known`)
  if (version.deleted || version.json === null) throw new GatewayError('gone', `${type}/${id}/_history/${versionId} records a deletion`)
  return version as StoredVersion & { json: string }
}

function requireLive (current: StoredVersion | undefined, type: string, id: string): StoredVersion & { json: string } {
  if (current === undefined) throw new GatewayError('not-found', `${type}/${id} is not known`)
  if (current.deleted || current.json === null) throw new GatewayError('gone', `${type}/${id} has been deleted`)
  return current as StoredVersion & { json: string }
}
