/**
 * Writes that commit together with their AuditEvent: the route's transaction inserts the
 * AuditEvent before it commits, so a 2xx means both are stored and a failure leaves neither
 * (the failure itself is then audited on its own by the audit plugin's onSend hook).
 */
import type { FastifyRequest } from 'fastify'
import type { Queryable } from '../../store/database.js'
import type { StoredVersion } from '../../store/resources.js'
import type { InsertNewResource } from '../interactions/create.js'
import { requestAuditFacts } from '../../audit/plugin.js'
import type { AuditedEntity } from '../../audit/audit-facts.js'
import type { FhirRouteDeps } from './deps.js'

export interface AuditedWrite {
  readonly status: number
  readonly version: StoredVersion
}

/** Runs `write` in a transaction that also stores the request's AuditEvent for what it wrote. */
export async function auditedTransaction<T> (
  deps: FhirRouteDeps, request: FastifyRequest, write: (tx: Queryable) => Promise<T>, written: (result: T) => AuditedWrite
): Promise<T> {
  const result = await deps.db.transaction(async tx => {
    const result = await write(tx)
    const { status, version } = written(result)
    const facts = requestAuditFacts(request, status, writtenEntities(request, version))
    if (facts !== undefined) await deps.audit.inTransaction(tx, facts)
    return result
  })
  request.auditRecorded = true
  return result
}

/** For a plain create: the audit record goes into the same (group-committed) INSERT. */
export function auditedInsert (deps: FhirRouteDeps, request: FastifyRequest): InsertNewResource {
  return async (row) => {
    const facts = requestAuditFacts(request, 201, [{ type: row.type, id: row.id, versionId: 1 }])
    const inserted = await deps.insertNew(row, facts === undefined ? undefined : deps.audit.record(facts))
    // A taken id (a server-assigned UUID: not expected) is a 409, audited as a failure as well.
    request.auditRecorded = inserted
    return inserted
  }
}

/** The version written, plus the search a conditional write matched on (names only). */
function writtenEntities (request: FastifyRequest, version: StoredVersion): AuditedEntity[] {
  const described = requestAuditFacts(request, 200)?.entities ?? []
  return [
    { type: version.resourceType, id: version.id, versionId: version.versionId },
    ...described.filter(entity => entity.id === undefined && entity.query !== undefined)
  ]
}
