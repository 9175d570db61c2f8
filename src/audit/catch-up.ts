/**
 * Runs a catch-up so that each caller waits for a run that started after it called: a caller
 * who arrives while one is running waits for that one and then for the next, which all such
 * callers share (a run that began earlier may already have passed over their records).
 */
export function createCatchUp (run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined
  let queued: Promise<void> | undefined
  const start = (): Promise<void> => {
    const current = run().finally(() => { if (running === current) running = undefined })
    running = current
    return current
  }
  return async () => {
    if (queued !== undefined) return await queued
    if (running === undefined) return await start()
    const next = running.catch(() => undefined).then(() => {
      queued = undefined
      return start()
    })
    queued = next
    return await next
  }
}
