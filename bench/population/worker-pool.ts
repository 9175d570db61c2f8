/**
 * A BatchWriter over worker threads (PostgreSQL only: PGlite is one embedded database that a
 * single thread owns). Each batch goes to the least busy worker.
 */
import { Worker } from 'node:worker_threads'
import type { StoreConfig } from '../../src/config.js'
import { buildDeferredIndexes, deferIndexesForBulkLoad } from '../../src/store/deferred-indexes.js'
import { openDatabase } from '../../src/store/open.js'
import { INDEX_BUILDS_AT_ONCE, type BatchWriter } from './batch-writer.js'
import type { WorkerReply, WorkerRequest } from './seed-worker.js'

interface Pending {
  resolve(count: number): void
  reject(err: Error): void
}

interface PooledWorker {
  readonly worker: Worker
  readonly pending: Map<number, Pending>
}

/** Each worker validates one batch while its previous one is inserted. */
const BATCHES_PER_WORKER = 2

export async function openWorkerPool (size: number, store: StoreConfig): Promise<BatchWriter> {
  let seq = 0
  const pool = await Promise.all(Array.from({ length: size }, async () => await startWorker()))
  // The workers have migrated the store; this thread's own connections set indexes aside and build them.
  const control = await openDatabase(store.kind === 'postgres' ? { ...store, poolSize: Math.max(store.poolSize, INDEX_BUILDS_AT_ONCE.postgres) } : store)
  return {
    store: 'postgres',
    concurrency: size * BATCHES_PER_WORKER,
    write: async (batch) => {
      const target = pool.reduce((least, w) => w.pending.size < least.pending.size ? w : least)
      seq += 1
      const request: WorkerRequest = { kind: 'write', seq, batch }
      return await new Promise<number>((resolve, reject) => {
        target.pending.set(request.seq, { resolve, reject })
        target.worker.postMessage(request)
      })
    },
    deferIndexes: async () => await deferIndexesForBulkLoad(control),
    buildIndexes: async () => await buildDeferredIndexes(control, INDEX_BUILDS_AT_ONCE[control.kind]),
    close: async () => {
      await control.close()
      await Promise.all(pool.map(async ({ worker }) => {
        const closed = new Promise<void>(resolve => {
          worker.on('message', (reply: WorkerReply) => { if (reply.kind === 'closed') resolve() })
        })
        worker.postMessage({ kind: 'close' } satisfies WorkerRequest)
        await closed
        await worker.terminate()
      }))
    }
  }
}

async function startWorker (): Promise<PooledWorker> {
  // The worker inherits this process's execArgv (--import tsx), so it can load TypeScript.
  const worker = new Worker(new URL('./seed-worker.ts', import.meta.url))
  const pending = new Map<number, Pending>()
  const failAll = (err: Error): void => {
    for (const waiting of pending.values()) waiting.reject(err)
    pending.clear()
  }
  worker.on('error', failAll)
  worker.on('exit', code => { if (code !== 0) failAll(new Error(`A seeding worker stopped with exit code ${code}`)) })
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject)
    worker.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'ready') resolve()
      if (reply.kind !== 'written' && reply.kind !== 'failed') return
      const waiting = pending.get(reply.seq)
      pending.delete(reply.seq)
      if (reply.kind === 'written') waiting?.resolve(reply.count)
      else waiting?.reject(new Error(reply.message))
    })
  })
  return { worker, pending }
}
