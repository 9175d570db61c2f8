/**
 * Group commit for plain creates. While a create statement is on its way to the database, the
 * creates that arrive meanwhile queue up, and the next free slot sends them as one multi-row
 * statement: one round trip, one plan and one WAL flush for many resources. A quiet server sends
 * every create on its own at once; batches only form under load, so latency never waits on a
 * timer. Each caller still gets its answer only after its own rows are committed.
 */
import type { Queryable } from './database.js'
import { insertNewResources, type NewResourceRow } from './resources.js'

export interface BatchSettings {
  /** Statements in flight at once; the rest of the pool stays free for reads and transactions. */
  readonly concurrency: number
  /** Most rows in one statement. */
  readonly maxRows: number
}

interface Pending {
  readonly row: NewResourceRow
  readonly resolve: (inserted: boolean) => void
  readonly reject: (err: unknown) => void
}

/** Returns an insert function: true when the row went in, false when its id was already taken. */
export function createInsertBatcher (db: Queryable, settings: BatchSettings): (row: NewResourceRow) => Promise<boolean> {
  const queue: Pending[] = []
  let inFlight = 0

  const send = async (batch: Pending[]): Promise<void> => {
    try {
      const inserted = await insertNewResources(db, batch.map(p => p.row))
      for (const p of batch) p.resolve(inserted.has(`${p.row.type}/${p.row.id}`))
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err)
        return
      }
      // One bad row must not fail its neighbours: retry each on its own, so only it fails.
      await Promise.all(batch.map(async p => { await send([p]) }))
    }
  }

  const pump = (): void => {
    while (inFlight < settings.concurrency && queue.length > 0) {
      const batch = queue.splice(0, settings.maxRows)
      inFlight++
      void send(batch).finally(() => {
        inFlight--
        pump()
      })
    }
  }

  return async (row) => await new Promise<boolean>((resolve, reject) => {
    queue.push({ row, resolve, reject })
    pump()
  })
}
