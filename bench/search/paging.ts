/**
 * Paging by depth: walks a large result from page 1 by following `next` links, as a client
 * would, several times over, and summarises the latency at each depth. Keyset paging should make
 * page 50 cost what page 2 costs; page 1 may cost more, since it carries the total.
 */
import type { Bundle } from '@medplum/fhirtypes'
import { getJson } from './http.js'
import { summarise, type LatencySummary } from './stats.js'

export interface PagingResult {
  readonly path: string
  /** Latency summary per depth, index 0 = page 1. */
  readonly byDepth: readonly LatencySummary[]
  readonly total: number | undefined
  /** The URL of each page of the last walk (cursors are stable while nothing is written). */
  readonly urls: readonly string[]
}

export async function walkPages (base: string, path: string, depth: number, walks: number): Promise<PagingResult> {
  const samples: number[][] = Array.from({ length: depth }, () => [])
  let urls: string[] = []
  let total: number | undefined
  for (let walk = 0; walk <= walks; walk++) {
    // Walk 0 warms up the pages the later walks time.
    let url: string | undefined = `${base}/${path}`
    const seen: string[] = []
    for (let page = 0; page < depth; page++) {
      if (url === undefined) throw new Error(`${path}: no next link after page ${page}; the result is smaller than ${depth} pages`)
      seen.push(url)
      const { ms, json }: { ms: number, json: Bundle } = await getJson<Bundle>(url)
      if (walk > 0) samples[page]?.push(ms)
      if (page === 0) total = json.total
      url = json.link?.find(l => l.relation === 'next')?.url
    }
    urls = seen
  }
  return { path, byDepth: samples.map(s => summarise(s)), total, urls }
}
