/**
 * Natural batching for the hot single-row statements (plain creates, reads by id). While a
 * statement is on its way to the database, the calls that arrive meanwhile queue up, and the next
 * free slot sends them together as one statement: one round trip, one plan and, for writes, one
 * WAL flush for many rows. A quiet server sends every call on its own at once; batches form only
 * under load, so no call ever waits on a timer.
 */

export interface BatchSettings {
  /** Statements in flight at once; the rest of the pool stays free for other work. */
  readonly concurrency: number
  /** Most calls in one statement. */
  readonly maxItems: number
}

interface Pending<In, Out> {
  readonly item: In
  readonly resolve: (result: Out) => void
  readonly reject: (err: unknown) => void
}

/**
 * Returns a function that runs one item through `runBatch`, which takes many items and returns
 * their results in the same order. If a batch of several fails, each of its items is retried on
 * its own, so one bad item fails alone.
 */
export function batchWhileBusy<In, Out> (settings: BatchSettings, runBatch: (items: In[]) => Promise<Out[]>): (item: In) => Promise<Out> {
  const queue: Array<Pending<In, Out>> = []
  let inFlight = 0

  const send = async (batch: Array<Pending<In, Out>>): Promise<void> => {
    try {
      const results = await runBatch(batch.map(p => p.item))
      batch.forEach((p, i) => { p.resolve(results[i] as Out) })
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err)
        return
      }
      await Promise.all(batch.map(async p => { await send([p]) }))
    }
  }

  const pump = (): void => {
    while (inFlight < settings.concurrency && queue.length > 0) {
      const batch = queue.splice(0, settings.maxItems)
      inFlight++
      void send(batch).finally(() => {
        inFlight--
        pump()
      })
    }
  }

  return async (item) => await new Promise<Out>((resolve, reject) => {
    queue.push({ item, resolve, reject })
    pump()
  })
}
