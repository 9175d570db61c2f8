/**
 * A worker thread that writes the batches it is sent through its own store connection, so
 * validation and indexing (the CPU-heavy part of seeding) run on several cores.
 */
import { parentPort } from 'node:worker_threads'
import type { Resource } from '@medplum/fhirtypes'
import { loadConfig } from '../../src/config.js'
import { openStoreWriter } from './batch-writer.js'

export type WorkerRequest = { readonly kind: 'write', readonly seq: number, readonly batch: readonly Resource[] } | { readonly kind: 'close' }
export type WorkerReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'written', readonly seq: number, readonly count: number }
  | { readonly kind: 'failed', readonly seq: number, readonly message: string }
  | { readonly kind: 'closed' }

const port = parentPort
if (port === null) throw new Error('seed-worker.ts runs as a worker thread')
const writer = await openStoreWriter(loadConfig())
port.on('message', (request: WorkerRequest) => {
  if (request.kind === 'close') {
    void writer.close().then(() => { port.postMessage({ kind: 'closed' } satisfies WorkerReply) })
    return
  }
  writer.write(request.batch).then(
    count => { port.postMessage({ kind: 'written', seq: request.seq, count } satisfies WorkerReply) },
    (err: unknown) => { port.postMessage({ kind: 'failed', seq: request.seq, message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply) }
  )
})
port.postMessage({ kind: 'ready' } satisfies WorkerReply)
