/**
 * Reads by id outside a transaction: concurrent reads share one SELECT (see batch-while-busy),
 * and the audit records of the requests behind them go into that same statement. Each read still
 * starts after its request arrived, so a client always sees its own committed writes.
 */
import { batchWhileBusy, type BatchSettings } from './batch-while-busy.js'
import type { Queryable } from './database.js'
import { readCurrentMany, type ReadKey, type StoredVersion } from './resources.js'

/** Returns a read function: the current version, or undefined if the id was never used. */
export function createReadBatcher (db: Queryable, settings: BatchSettings): (key: ReadKey) => Promise<StoredVersion | undefined> {
  return batchWhileBusy(settings, async (keys: ReadKey[]) => {
    const found = await readCurrentMany(db, keys)
    return keys.map(key => found.get(`${key.type}/${key.id}`))
  })
}
