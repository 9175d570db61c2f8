/**
 * Group commit for plain creates: concurrent creates share one multi-row INSERT statement (see
 * batch-while-busy). Each caller is answered only after its own rows are committed.
 */
import { batchWhileBusy, type BatchSettings } from './batch-while-busy.js'
import type { Queryable } from './database.js'
import type { AuditRecordRow } from './audit-records.js'
import { insertNewResources, type NewResourceRow } from './resources.js'

/**
 * Stores a new resource row; true when it went in, false when its id was already taken.
 * `audit` (the create's audit record) goes in the same statement, and only with the row.
 */
export type InsertNewWith = (row: NewResourceRow, audit?: AuditRecordRow) => Promise<boolean>

interface Unit {
  readonly row: NewResourceRow
  readonly audit: AuditRecordRow | undefined
}

export function createInsertBatcher (db: Queryable, settings: BatchSettings): InsertNewWith {
  const insert = batchWhileBusy(settings, async (units: Unit[]) => {
    const audits = units.flatMap(({ row, audit }) => audit === undefined ? [] : [{ owner: `${row.type}/${row.id}`, record: audit }])
    const inserted = await insertNewResources(db, units.map(unit => unit.row), audits)
    return units.map(({ row }) => inserted.has(`${row.type}/${row.id}`))
  })
  return async (row, audit) => await insert({ row, audit })
}
