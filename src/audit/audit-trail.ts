/**
 * Writes AuditEvents into the normal resource table (so admins search them through the API),
 * three ways: as a row that goes into a plain create's own INSERT, inside a write's transaction,
 * or on its own for reads and failures, where concurrent ones share one INSERT (group commit,
 * like plain creates) so auditing a read costs a share of a statement, not a statement.
 * Writing an AuditEvent here never passes through the HTTP layer, so it is never audited itself.
 */
import type { FhirContext } from '../fhir/interactions/context.js'
import { stampResource } from '../fhir/interactions/stamp.js'
import { batchWhileBusy, type BatchSettings } from '../store/batch-while-busy.js'
import type { Queryable } from '../store/database.js'
import { insertAllNew, insertNewResources, type NewResourceRow } from '../store/resources.js'
import type { AuditFacts } from './audit-facts.js'
import { buildAuditEvent } from './build-audit-event.js'

export interface AuditTrail {
  /** The AuditEvent row for these facts, for a caller that inserts it with its own rows. */
  row(facts: AuditFacts): NewResourceRow
  /** Inserts the AuditEvent through `tx`, the write's transaction: it commits or rolls back with it. */
  inTransaction(tx: Queryable, facts: AuditFacts): Promise<void>
  /** Commits the AuditEvent on its own (shared with concurrent ones); resolves once it is durable. */
  onItsOwn(facts: AuditFacts): Promise<void>
}

export interface AuditTrailOptions {
  readonly fhirBaseUrl: string
  readonly batching: BatchSettings
}

export function createAuditTrail (db: Queryable, ctx: Pick<FhirContext, 'index' | 'now' | 'newId'>, options: AuditTrailOptions): AuditTrail {
  // Server-built AuditEvents skip the validator: their shape is fixed by build-audit-event.ts,
  // and test/audit/ proves every kind valid by sending it back through the validating create.
  const row = (facts: AuditFacts): NewResourceRow => {
    const now = ctx.now()
    const id = ctx.newId()
    const lastUpdated = now.toISOString()
    const event = stampResource(buildAuditEvent(facts, now, options), id, 1, lastUpdated)
    return { type: 'AuditEvent', id, lastUpdated, json: JSON.stringify(event), index: ctx.index(event) }
  }
  const commit = batchWhileBusy(options.batching, async (rows: NewResourceRow[]) => {
    await insertNewResources(db, rows)
    return rows.map(() => undefined)
  })
  return {
    row,
    inTransaction: async (tx, facts) => { await insertAllNew(tx, [row(facts)]) },
    onItsOwn: async (facts) => { await commit(row(facts)) }
  }
}
