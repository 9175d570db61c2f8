/**
 * The audit trail: every audited request leaves one narrow audit record (src/store/audit-records.ts),
 * written three ways: in the same statement as a plain create or a read by id, inside a write's
 * transaction, or on its own for everything else, where concurrent ones share one INSERT (group
 * commit) so auditing a request costs a share of a statement, not a statement. Records become
 * searchable AuditEvent resources in bulk later (materialise.ts); `catchUp` makes them all
 * searchable before anything reads AuditEvents. Nothing here passes through the HTTP layer, so
 * writing the trail is never itself audited.
 */
import type { FhirContext } from '../fhir/interactions/context.js'
import { batchWhileBusy, type BatchSettings } from '../store/batch-while-busy.js'
import type { Database, Queryable } from '../store/database.js'
import { insertAuditRecords, type AuditRecordRow } from '../store/audit-records.js'
import type { AuditFacts } from './audit-facts.js'
import { storedFactsOf } from './stored-facts.js'
import { createCatchUp } from './catch-up.js'
import { materialiseAuditRecords } from './materialise.js'

export interface AuditTrail {
  /** The audit record for these facts, for a caller that stores it with its own rows. */
  record(facts: AuditFacts): AuditRecordRow
  /** Stores the record through `tx`, the write's transaction: it commits or rolls back with it. */
  inTransaction(tx: Queryable, facts: AuditFacts): Promise<void>
  /** Commits the record on its own (shared with concurrent ones); resolves once it is durable. */
  onItsOwn(facts: AuditFacts): Promise<void>
  /** Resolves once every record committed before the call is a searchable AuditEvent. */
  catchUp(): Promise<void>
  /** Turns at most one chunk of records into AuditEvents; how many it turned. */
  materialiseSome(recordedBy?: string): Promise<number>
  /** About how many records this process wrote that are not AuditEvents yet (paces the background work). */
  backlog(): number
}

/** How far ahead of this process's clock another gateway process's clock may run. */
const CLOCK_MARGIN_MS = 1000

export interface AuditTrailOptions {
  readonly fhirBaseUrl: string
  readonly batching: BatchSettings
  /** Records turned into AuditEvents per transaction. */
  readonly chunk: number
}

export function createAuditTrail (db: Database, ctx: Pick<FhirContext, 'index' | 'now' | 'newId'>, options: AuditTrailOptions): AuditTrail {
  let written = 0
  let turned = 0
  const record = (facts: AuditFacts): AuditRecordRow => {
    written++
    return { id: ctx.newId(), recorded: ctx.now().toISOString(), status: facts.status, facts: JSON.stringify(storedFactsOf(facts)) }
  }
  const commit = batchWhileBusy(options.batching, async (rows: AuditRecordRow[]) => {
    await insertAuditRecords(db, rows)
    return rows.map(() => undefined)
  })
  const materialiseSome = async (recordedBy?: string): Promise<number> => {
    const startedAt = written
    const count = await materialiseAuditRecords(db, ctx, options.fhirBaseUrl, options.chunk, recordedBy)
    // An empty table means everything written before this chunk started is done.
    if (recordedBy === undefined && count === 0) turned = Math.max(turned, startedAt)
    else turned = Math.min(written, turned + count)
    return count
  }
  // Only records made before the catch-up began (plus a second for clocks of other gateway
  // processes that run ahead): under a heavy write load it must not chase new records forever.
  const catchUp = createCatchUp(async () => {
    const recordedBy = new Date(ctx.now().getTime() + CLOCK_MARGIN_MS).toISOString()
    while (await materialiseSome(recordedBy) === options.chunk) { /* another full chunk may be waiting */ }
  })
  return {
    record,
    inTransaction: async (tx, facts) => { await insertAuditRecords(tx, [record(facts)]) },
    onItsOwn: async (facts) => { await commit(record(facts)) },
    catchUp,
    materialiseSome,
    backlog: () => Math.max(0, written - turned)
  }
}
