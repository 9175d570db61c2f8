/**
 * Floors measured in the same run: a bare primary-key SELECT straight through pg, and the
 * gateway's read by id. On a shared, noisy machine a search figure is best read as a multiple of
 * these two.
 */
import type pg from 'pg'
import { timeRequests } from './measure.js'
import { summarise, type LatencySummary } from './stats.js'

export interface Baselines {
  readonly primaryKeySelect: LatencySummary
  readonly readById: LatencySummary
}

export async function measureBaselines (client: pg.Client, base: string, patientIds: readonly string[], requests: number): Promise<Baselines> {
  const sql = 'SELECT content::text AS content FROM resource WHERE resource_type = $1 AND id = $2'
  for (const id of patientIds) await client.query(sql, ['Patient', id])
  const samples: number[] = []
  for (let i = 0; i < requests; i++) {
    const started = performance.now()
    await client.query(sql, ['Patient', patientIds[i % patientIds.length]])
    samples.push(performance.now() - started)
  }
  const urls = patientIds.map(id => `${base}/Patient/${id}`)
  await timeRequests(urls, urls.length, 1)
  return { primaryKeySelect: summarise(samples), readById: await timeRequests(urls, requests, 1) }
}
