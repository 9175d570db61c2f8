/**
 * The oracle property: for a random query, the ids the server returns are exactly the ids medplum
 * matches among the created resources of that type (less pairs a documented exception skips).
 */
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import type { Resource } from '@medplum/fhirtypes'
import { expectQuery, type Query, type World } from './clauses.js'
import type { ExceptionId } from './exceptions.js'
import { queryArbitrary } from './queries.js'
import { searchIds } from './server.js'

export interface OracleStats {
  queries: number
  /** Queries whose expected result was neither empty nor every resource of the type. */
  selective: number
  pairsCompared: number
  readonly skipped: Partial<Record<ExceptionId, number>>
}

export interface OracleOutcome {
  readonly stats: OracleStats
  /** A shrunk counterexample, ready to print; undefined when the property held. */
  readonly failure: string | undefined
}

export async function runOracle (app: FastifyInstance, world: World, seed: number, numRuns: number): Promise<OracleOutcome> {
  const stats: OracleStats = { queries: 0, selective: 0, pairsCompared: 0, skipped: {} }
  const property = fc.asyncProperty(queryArbitrary(world), async (query) => { await checkQuery(app, world, query, stats) })
  const result = await fc.check(property, { seed, numRuns, endOnFailure: false })
  const failure = result.failed
    ? `${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}\n(fast-check seed ${seed}, path "${String(result.counterexamplePath)}", ${result.numShrinks} shrinks)`
    : undefined
  return { stats, failure }
}

async function checkQuery (app: FastifyInstance, world: World, query: Query, stats: OracleStats): Promise<void> {
  const candidates = world.byType.get(query.type) ?? []
  const result = await searchIds(app, query.type, query.clauses.map(c => [c.name, c.value]))
  const header = [
    `GET ${decodeURIComponent(result.url)}`,
    ...query.clauses.map(c => `  ${c.name}=${c.value}   oracle: ${c.oracle}`)
  ].join('\n')
  if (result.status !== 200) throw new Error(`${header}\nanswered ${result.status}: ${JSON.stringify(result.body)}`)
  if (result.body.total !== result.ids.length) {
    throw new Error(`${header}\ntotal ${result.body.total} but ${result.ids.length} matches`)
  }
  const known = new Set(candidates.map(r => String(r.id)))
  const stray = result.ids.filter(id => !known.has(id))
  if (stray.length > 0) throw new Error(`${header}\nreturned ids that are not ${query.type}s of this dataset: ${stray.join(', ')}`)

  const actual = new Set(result.ids)
  const expected: string[] = []
  const wrong: Array<{ resource: Resource, expected: boolean }> = []
  for (const resource of candidates) {
    const verdict = expectQuery(query, resource, world)
    if (typeof verdict === 'object') {
      stats.skipped[verdict.skip] = (stats.skipped[verdict.skip] ?? 0) + 1
      continue
    }
    stats.pairsCompared++
    if (verdict) expected.push(String(resource.id))
    if (verdict !== actual.has(String(resource.id))) wrong.push({ resource, expected: verdict })
  }
  stats.queries++
  if (expected.length > 0 && expected.length < candidates.length) stats.selective++
  if (wrong.length > 0) {
    throw new Error([
      header,
      `expected (oracle): [${expected.join(', ')}]`,
      `actual (server):   [${result.ids.join(', ')}]`,
      ...wrong.map(w => `${w.expected ? 'MISSING from the server answer' : 'WRONGLY returned by the server'}: ${JSON.stringify(w.resource)}`),
      ...related(world, wrong.map(w => w.resource)).map(r => `  linked: ${JSON.stringify(r)}`)
    ].join('\n'))
  }
}

/** Resources a wrongly judged one points at or is pointed at by, for chain and _has reports. */
function related (world: World, resources: readonly Resource[]): Resource[] {
  const ids = new Set(resources.map(r => String(r.id)))
  const texts = resources.map(r => JSON.stringify(r))
  return [...world.byType.values()].flat()
    .filter(r => !ids.has(String(r.id)) && (texts.some(t => t.includes(`/${String(r.id)}"`)) || [...ids].some(id => JSON.stringify(r).includes(`/${id}"`))))
    .slice(0, 6)
}
