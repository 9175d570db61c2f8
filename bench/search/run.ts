/**
 * npm run bench:search: search at scale. Seeds a synthetic population into a fresh PostgreSQL
 * database (or measures one seeded earlier, --reuse), starts the gateway on loopback, and times
 * the representative searches of the search issue, paging by depth and two baselines; then
 * prints EXPLAIN plans and the database size. Every loop is bounded by a request count.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { measureBaselines } from './baseline.js'
import { openMeasuredDatabase, type MeasuredDatabase } from './database.js'
import { loadLine, machineLine, postgresLine, sourceLine } from './environment.js'
import { explainSearch } from './explain.js'
import { pickFixtures } from './fixtures.js'
import { startGateway, type Gateway } from './gateway.js'
import { closeAgent } from './http.js'
import { measureQuery, type QueryResult } from './measure.js'
import { parseOptions, SEARCH_BENCH_USAGE, UsageError, type SearchBenchOptions } from './options.js'
import { walkPages } from './paging.js'
import { COUNTED_TILE, PAGING_PATHS, representativeQueries, type BenchQuery } from './queries.js'
import { renderFullPlans, renderReport, type RunReport } from './report.js'
import { seedPopulation, type SeedResult } from './seed.js'
import { gatewaySearchSettings } from './settings.js'
import { measureSize, resourceCounts } from './size.js'

/** Patients sampled for the per-patient queries: each timed request asks about another one. */
const PATIENT_SAMPLE = 200

async function main (options: SearchBenchOptions): Promise<void> {
  // The seeder and the gateway load the same conformance folder, so seeded rows are indexed
  // for every parameter the gateway searches (Q4's reason-code is one of the project's own).
  const profilesDir = fileURLToPath(new URL('../../profiles/', import.meta.url))
  let db: MeasuredDatabase | undefined
  let gateway: Gateway | undefined
  let client: pg.Client | undefined
  let pool: pg.Pool | undefined
  try {
    db = await openMeasuredDatabase(options.adminUrl, options.reuse)
    const environment = [machineLine() + ' at start']
    log(`database ${db.name} (${db.fresh ? 'fresh' : 'reused'}); ${environment[0] ?? ''}`)
    let seed: SeedResult | undefined
    if (db.fresh) {
      log(`seeding ${options.patients} patients as of ${options.asOf}`)
      seed = await seedPopulation({ databaseUrl: db.url, profilesDir: profilesDir, patients: options.patients, seed: options.seed, asOf: options.asOf })
    }
    client = new pg.Client({ connectionString: db.url })
    await client.connect()
    // As autovacuum would in service: fresh statistics, and a visibility map for index-only scans.
    log('VACUUM (ANALYZE)')
    await client.query('VACUUM (ANALYZE)')
    environment.push(await postgresLine(client), sourceLine())
    const counts = await resourceCounts(client)
    const size = await measureSize(client)

    gateway = await startGateway(db.url, profilesDir, options.counted ? [COUNTED_TILE] : [])
    environment.push(options.counted ? `gateway counted searches (SEARCH_COUNTED): ${COUNTED_TILE}` : 'no counted searches (--no-counted): Q7 is counted by SQL')
    const fixtures = await pickFixtures(client, PATIENT_SAMPLE, options.asOf)
    log(`gateway at ${gateway.base}; load ${loadLine()}`)
    const baselines = await measureBaselines(client, gateway.base, fixtures.patients.map(p => p.id), options.requests)

    const queries = representativeQueries(fixtures)
    const results: QueryResult[] = []
    for (const query of queries) {
      log(`${query.id} ${query.title}`)
      results.push(await measureQuery(gateway.base, query, options.requests, options.concurrency))
    }
    log(`paging ${options.pagingWalks} walks to page ${options.pagingDepth}`)
    const paging = [
      await walkPages(gateway.base, PAGING_PATHS.plain, options.pagingDepth, options.pagingWalks),
      await walkPages(gateway.base, PAGING_PATHS.withTotal, options.pagingDepth, options.pagingWalks)
    ]
    const deepest = (paging[0]?.urls.at(-1) ?? '').slice(gateway.base.length + 1)
    const deepQuery: BenchQuery = { id: 'Q8', title: `page ${options.pagingDepth} of all Tasks by _lastUpdated (following next, _count=20)`, paths: [deepest] }
    log(deepQuery.title)
    results.push(await measureQuery(gateway.base, deepQuery, options.requests, options.concurrency))
    results.sort((a, b) => Number(a.query.id.slice(1)) - Number(b.query.id.slice(1)))
    environment.push(`load average at end of timing ${loadLine()}`)

    log('EXPLAIN (ANALYZE, BUFFERS)')
    pool = new pg.Pool({ connectionString: db.url, max: 2 })
    const settings = await gatewaySearchSettings(db.url, profilesDir, gateway.base)
    const plans: RunReport['plans'][number][] = []
    for (const { query } of results) {
      const path = query.paths[0] as string
      plans.push({ id: query.id, path: shorten(path), statements: await explainSearch(pool, settings, path) })
    }

    const report = renderReport({
      command: `npm run bench:search -- ${process.argv.slice(2).join(' ')}`.trim(),
      environment,
      database: `${db.name} (${db.fresh ? 'seeded by this run' : 'seeded earlier, reused'})`,
      seed,
      counts,
      baselines,
      queries: results,
      concurrency: options.concurrency,
      requests: options.requests,
      paging,
      size,
      plans
    })
    console.log(`\n${renderFullPlans(plans)}\n\n${report}`)
    if (options.out !== undefined) writeFileSync(options.out, report)
  } finally {
    await gateway?.stop()
    await pool?.end()
    await client?.end()
    closeAgent()
    if (db?.fresh === true) {
      if (options.keep) log(`kept database ${db.name}: reuse it with --reuse ${db.name}, drop it with DROP DATABASE ${db.name}`)
      else await db.drop()
    }
  }
}

/** Query strings with long cursors cut, for headings. */
function shorten (path: string): string {
  return path.replace(/(_cursor=[^&]{12})[^&]*/, '$1…')
}

function log (message: string): void {
  console.log(`[bench:search ${new Date().toISOString().slice(11, 19)}] ${message}`)
}

// Ctrl-C ends through process.exit, so the gateway's 'exit' handler still stops the child.
process.once('SIGINT', () => process.exit(130))

try {
  await main(parseOptions(process.argv.slice(2)))
} catch (err) {
  if (err instanceof UsageError) {
    console.error(`${err.message}\n\n${SEARCH_BENCH_USAGE}`)
    process.exitCode = 2
  } else {
    console.error(err instanceof Error ? err.stack ?? err.message : err)
    process.exitCode = 1
  }
}
