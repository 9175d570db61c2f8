/**
 * Group commit for plain creates: concurrent creates share one multi-row INSERT statement (see
 * batch-while-busy). Each caller is answered only after its own rows are committed.
 */
import { batchWhileBusy, type BatchSettings } from './batch-while-busy.js'
import type { Queryable } from './database.js'
import { insertNewResources, type NewResourceRow } from './resources.js'

/** Returns an insert function: true when the row went in, false when its id was already taken. */
export function createInsertBatcher (db: Queryable, settings: BatchSettings): (row: NewResourceRow) => Promise<boolean> {
  return batchWhileBusy(settings, async (rows: NewResourceRow[]) => {
    const inserted = await insertNewResources(db, rows)
    return rows.map(row => inserted.has(`${row.type}/${row.id}`))
  })
}
