/**
 * Closed-loop HTTP load with autocannon: `connections` keep-alive connections, each sending its
 * next request as soon as the previous answer arrives. A warm-up run (discarded) comes first so
 * JIT compilation, connection pools and caches are settled before anything is measured.
 */
import autocannon, { type Request } from 'autocannon'
import { performance } from 'node:perf_hooks'
import type { CpuMeter } from './cpu.js'
import { Samples, type Measurement } from './stats.js'

export interface HttpPhase {
  /** Origin, e.g. http://127.0.0.1:8080 */
  readonly origin: string
  readonly requests: Request[]
}

export interface LoadSettings {
  readonly connections: number
  readonly warmupSeconds: number
  readonly seconds: number
  /** Report throughput per slice of this many seconds (drift). */
  readonly sliceSeconds?: number
  /** Measures CPU over the measured window (not the warm-up). */
  readonly cpu?: CpuMeter
}

export async function measureHttp (phase: HttpPhase, settings: LoadSettings): Promise<Measurement> {
  if (settings.warmupSeconds > 0) await runOnce(phase, settings.connections, settings.warmupSeconds)
  return await runOnce(phase, settings.connections, settings.seconds, settings.sliceSeconds, settings.cpu)
}

async function runOnce (phase: HttpPhase, connections: number, seconds: number, sliceSeconds?: number, cpu?: CpuMeter): Promise<Measurement> {
  cpu?.begin()
  const startedAt = performance.now()
  const samples = new Samples(startedAt)
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon({ url: phase.origin, connections, duration: seconds, requests: phase.requests }, (err) => {
      if (err !== null) reject(err)
      else resolve()
    })
    // Only 2xx answers count as work done; anything else is a failure the report shows.
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) samples.record(responseTime, performance.now())
      else samples.fail(`HTTP ${statusCode}`)
    })
    instance.on('reqError', (error) => { samples.fail(error.message) })
  })
  // autocannon stops on its one-second sampling tick, so the window is the elapsed time.
  return samples.summarise((performance.now() - startedAt) / 1000, sliceSeconds, cpu?.end())
}
