/**
 * Times one query: a warm-up pass over its paths (the first touch of a page of the database is
 * a disk read; the figures are for a warm server), then a fixed number of sequential requests,
 * then optionally the same number with several clients at once.
 */
import type { Bundle } from '@medplum/fhirtypes'
import { timedGet } from './http.js'
import type { BenchQuery } from './queries.js'
import { summarise, type LatencySummary } from './stats.js'

/** Paths whose result size is counted: enough to describe it, without doubling the warm-up. */
const SIZE_SAMPLE = 20

export interface QueryResult {
  readonly query: BenchQuery
  readonly sequential: LatencySummary
  readonly concurrent: LatencySummary | undefined
  /** How many rows match each path (its `_total=accurate`), median and range. */
  readonly totals: { readonly median: number, readonly min: number, readonly max: number }
  /** Entries returned per page (matches plus includes), median. */
  readonly entries: number
}

/**
 * Each timed phase stops after `requests` requests or this long, whichever comes first, so a
 * query that takes seconds at scale still ends the run in reasonable time (n says how many ran).
 */
const PHASE_BUDGET_MS = 60_000

export async function measureQuery (base: string, query: BenchQuery, requests: number, concurrency: number): Promise<QueryResult> {
  const urls = query.paths.map(path => `${base}/${path}`)
  const totals: number[] = []
  const entries: number[] = []
  // Warm-up, and the size of each result: the gateway gives no total unless asked, so each path
  // is asked once more with _total=accurate (untimed) to learn how many rows match.
  for (const [i, url] of urls.slice(0, requests).entries()) {
    entries.push((await bundleOf(url)).entry?.length ?? 0)
    if (i < SIZE_SAMPLE) totals.push((await bundleOf(withTotal(url))).total ?? Number.NaN)
  }
  const sequential = await timeRequests(urls, requests, 1)
  const concurrent = concurrency > 1 ? await timeRequests(urls, requests, concurrency) : undefined
  const sortedTotals = [...totals].sort((a, b) => a - b)
  return {
    query,
    sequential,
    concurrent,
    totals: { median: summarise(totals).p50, min: sortedTotals[0] ?? Number.NaN, max: sortedTotals.at(-1) ?? Number.NaN },
    entries: summarise(entries).p50
  }
}

async function bundleOf (url: string): Promise<Bundle> {
  const res = await timedGet(url)
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${res.body.slice(0, 500)}`)
  return JSON.parse(res.body) as Bundle
}

function withTotal (url: string): string {
  const parsed = new URL(url)
  if (!parsed.searchParams.has('_total')) parsed.searchParams.set('_total', 'accurate')
  return parsed.toString()
}

/** `requests` GETs cycling through the urls, `clients` at a time; every one must answer 200. */
export async function timeRequests (urls: readonly string[], requests: number, clients: number): Promise<LatencySummary> {
  const samples: number[] = []
  const deadline = performance.now() + PHASE_BUDGET_MS
  let next = 0
  const client = async (): Promise<void> => {
    while (next < requests && performance.now() < deadline) {
      const url = urls[next % urls.length] as string
      next++
      const res = await timedGet(url)
      if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${res.body.slice(0, 500)}`)
      samples.push(res.ms)
    }
  }
  await Promise.all(Array.from({ length: clients }, client))
  return summarise(samples)
}
