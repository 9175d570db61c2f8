/**
 * Summaries of one measurement: throughput and latency percentiles computed from every sample
 * (not from autocannon's integer-millisecond histogram, which cannot tell 0.6 ms from 1.4 ms),
 * so HTTP and raw-driver phases are summarised the same way.
 */
import type { CpuUse } from './cpu.js'

export interface Measurement {
  /** Successful operations per second over the measured window. */
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly ok: number
  readonly failed: number
  /** What the first failure was (status or error message), to make a broken phase obvious. */
  readonly firstFailure: string | undefined
  readonly seconds: number
  /** CPU used during the window, when a meter was given. */
  readonly cpu: CpuUse | undefined
  /** Throughput per slice of the window (drift), when slices were asked for. */
  readonly slices: readonly SliceStat[]
}

export interface SliceStat {
  readonly fromSecond: number
  readonly rps: number
  readonly p50: number
  readonly p99: number
}

/** Collects per-operation latencies with their completion time, relative to the window start. */
export class Samples {
  private readonly latencies: number[] = []
  private readonly endTimes: number[] = []
  private failed = 0
  private firstFailure: string | undefined

  constructor (private readonly startedAt: number) {}

  record (latencyMs: number, now: number): void {
    this.latencies.push(latencyMs)
    this.endTimes.push(now - this.startedAt)
  }

  fail (what: string): void {
    this.failed++
    this.firstFailure ??= what
  }

  summarise (seconds: number, sliceSeconds?: number, cpu?: CpuUse): Measurement {
    const ok = this.latencies.length
    const sorted = Float64Array.from(this.latencies).sort()
    const slices: SliceStat[] = []
    if (sliceSeconds !== undefined) {
      const count = Math.floor(seconds / sliceSeconds + 1e-9)
      const buckets: number[][] = Array.from({ length: count }, () => [])
      this.endTimes.forEach((end, i) => { buckets[Math.floor(end / 1000 / sliceSeconds)]?.push(this.latencies[i] as number) })
      buckets.forEach((bucket, i) => {
        const s = Float64Array.from(bucket).sort()
        slices.push({ fromSecond: i * sliceSeconds, rps: bucket.length / sliceSeconds, p50: percentile(s, 50), p99: percentile(s, 99) })
      })
    }
    return { rps: ok / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), ok, failed: this.failed, firstFailure: this.firstFailure, seconds, cpu, slices }
  }
}

/** Nearest-rank percentile of ascending values; NaN when empty. */
export function percentile (sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number
}

export function median (values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] as number : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** The per-field median of several rounds of one phase (each field on its own, as is usual). */
export function medianOf (rounds: readonly Measurement[]): Measurement {
  const first = rounds[0]
  if (first === undefined) throw new Error('no rounds to summarise')
  return {
    rps: median(rounds.map(r => r.rps)),
    p50: median(rounds.map(r => r.p50)),
    p99: median(rounds.map(r => r.p99)),
    ok: median(rounds.map(r => r.ok)),
    failed: rounds.reduce((sum, r) => sum + r.failed, 0),
    firstFailure: rounds.find(r => r.firstFailure !== undefined)?.firstFailure,
    seconds: first.seconds,
    cpu: first.cpu === undefined ? undefined : medianCpu(rounds),
    slices: first.slices.map((slice, i) => ({
      fromSecond: slice.fromSecond,
      rps: median(rounds.map(r => r.slices[i]?.rps ?? Number.NaN)),
      p50: median(rounds.map(r => r.slices[i]?.p50 ?? Number.NaN)),
      p99: median(rounds.map(r => r.slices[i]?.p99 ?? Number.NaN))
    }))
  }
}

function medianCpu (rounds: readonly Measurement[]): CpuUse {
  const servers = rounds.map(r => r.cpu?.server).filter((v): v is number => v !== undefined)
  return {
    server: servers.length === 0 ? undefined : median(servers),
    bench: median(rounds.map(r => r.cpu?.bench ?? Number.NaN)),
    database: median(rounds.map(r => r.cpu?.database ?? Number.NaN)),
    other: median(rounds.map(r => r.cpu?.other ?? Number.NaN)),
    machine: median(rounds.map(r => r.cpu?.machine ?? Number.NaN))
  }
}
