/** Talking to the gateway under test: creating a dataset and running one search. */
import type { FastifyInstance } from 'fastify'
import type { Bundle, Resource } from '@medplum/fhirtypes'
import { FHIR, FHIR_JSON } from '../../helper.js'
import { CREATION_ORDER, resolveReferences, type Dataset } from './resources.js'

/** POSTs every resource, targets first, and returns them as stored (ids, meta and all). */
export async function createDataset (app: FastifyInstance, data: Dataset): Promise<Resource[]> {
  const ids = new Map<string, string[]>()
  const stored: Resource[] = []
  for (const type of CREATION_ORDER) {
    for (const template of data[type]) {
      const resource = resolveReferences(template, ids)
      const res = await app.inject({ method: 'POST', url: `${FHIR}/${type}`, headers: FHIR_JSON, payload: resource })
      if (res.statusCode !== 201) throw new Error(`creating ${JSON.stringify(resource)} answered ${res.statusCode}: ${res.body}`)
      const created = res.json() as Resource
      ids.set(type, [...(ids.get(type) ?? []), String(created.id)])
      stored.push(created)
    }
  }
  return stored
}

export interface SearchResult {
  readonly status: number
  readonly ids: readonly string[]
  readonly body: Bundle & { issue?: unknown }
  readonly url: string
}

/** One GET search for up to 1000 matches (the server's maximum page), with an accurate total to cross-check. */
export async function searchIds (app: FastifyInstance, type: string, params: ReadonlyArray<readonly [string, string]>): Promise<SearchResult> {
  const query = new URLSearchParams([...params.map(([n, v]): [string, string] => [n, v]), ['_count', '1000'], ['_total', 'accurate']])
  const url = `${FHIR}/${type}?${query.toString()}`
  const res = await app.inject({ method: 'GET', url })
  const body = res.json() as SearchResult['body']
  const ids = (body.entry ?? []).filter(e => e.search?.mode === 'match').map(e => String(e.resource?.id))
  return { status: res.statusCode, ids, body, url }
}
