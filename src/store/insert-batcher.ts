/**
 * Group commit for plain creates: concurrent creates share one multi-row INSERT statement (see
 * batch-while-busy). Each caller is answered only after its own rows are committed.
 */
import { batchWhileBusy, type BatchSettings } from './batch-while-busy.js'
import type { Queryable } from './database.js'
import { insertNewResources, type NewResourceRow } from './resources.js'

/**
 * Stores a new resource row; true when it went in, false when its id was already taken.
 * `companions` (the create's AuditEvent) go in the same statement, so they commit with it.
 */
export type InsertNewWith = (row: NewResourceRow, companions?: readonly NewResourceRow[]) => Promise<boolean>

interface Unit {
  readonly row: NewResourceRow
  readonly companions: readonly NewResourceRow[]
}

export function createInsertBatcher (db: Queryable, settings: BatchSettings): InsertNewWith {
  const insert = batchWhileBusy(settings, async (units: Unit[]) => {
    const inserted = await insertNewResources(db, units.flatMap(unit => [unit.row, ...unit.companions]))
    return units.map(({ row }) => inserted.has(`${row.type}/${row.id}`))
  })
  return async (row, companions = []) => await insert({ row, companions })
}
