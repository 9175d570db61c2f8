/** Latency summaries from every sample (nearest-rank percentiles, milliseconds). */

export interface LatencySummary {
  readonly n: number
  readonly p50: number
  readonly p95: number
  readonly max: number
}

export function summarise (samples: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort()
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? Number.NaN }
}

/** Nearest-rank percentile of ascending values; NaN when empty. */
export function percentile (sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number
}
