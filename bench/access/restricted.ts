/**
 * What the access policy costs a restricted caller at scale: the same searches timed in-process
 * (executeSearch over PostgreSQL, no HTTP) for an admin and for clients of each role, on a
 * database seeded with bench/population/seed.ts. Not a test: prints a table.
 *
 *   DATABASE_URL=postgres://…/seeded node --import tsx bench/access/restricted.ts
 *
 * The synthetic VCFSE providers carry no ODS code; the one owning most Tasks is given one here
 * (one index row, BENCHCRM) so a CRM client has an organisation.
 */
import { fileURLToPath } from 'node:url'
import type { Caller } from '../../src/auth/caller.js'
import { loadConfig } from '../../src/config.js'
import { executeSearch } from '../../src/fhir/search/execute.js'
import { openDatabase } from '../../src/store/open.js'
import { gatewaySearchSettings } from '../search/settings.js'

const RUNS = 15

async function main (): Promise<void> {
  const url = process.env.DATABASE_URL
  if (url === undefined) throw new Error('DATABASE_URL must name a seeded database')
  const db = await openDatabase(loadConfig({ DATABASE_URL: url }).store)
  const settings = await gatewaySearchSettings(url, fileURLToPath(new URL('../../profiles/', import.meta.url)), 'http://localhost:8080')
  const one = async (sql: string): Promise<string> => String(Object.values((await db.query<Record<string, unknown>>(sql)).rows[0] ?? {})[0])
  // The practice with most registered patients, the PCN whose link-worker service received
  // most referrals, and the VCFSE provider (an owner without an ODS code) that owns most Tasks.
  const practice = await one(`SELECT t.value FROM search_reference x JOIN search_token t ON t.resource_type = 'Organization' AND t.resource_id = x.target_id AND t.code = 'identifier'
    WHERE x.resource_type = 'Patient' AND x.code = 'general-practitioner' AND x.target_type = 'Organization' GROUP BY t.value ORDER BY count(*) DESC LIMIT 1`)
  const pcn = await one(`SELECT t.value FROM search_reference x JOIN search_reference h ON h.resource_type = 'HealthcareService' AND h.resource_id = x.target_id AND h.code = 'organization'
    JOIN search_token t ON t.resource_type = 'Organization' AND t.resource_id = h.target_id AND t.code = 'identifier'
    WHERE x.resource_type = 'ServiceRequest' AND x.code = 'performer' AND x.target_type = 'HealthcareService' GROUP BY t.value ORDER BY count(*) DESC LIMIT 1`)
  const provider = await one(`SELECT target_id FROM search_reference x WHERE resource_type = 'Task' AND code = 'owner' AND target_type = 'Organization'
    AND NOT EXISTS (SELECT 1 FROM search_token t WHERE t.resource_type = 'Organization' AND t.resource_id = x.target_id AND t.code = 'identifier')
    GROUP BY target_id ORDER BY count(*) DESC LIMIT 1`)
  await db.query(`INSERT INTO search_token (resource_type, resource_id, code, system, value) SELECT 'Organization', $1, 'identifier', 'https://fhir.nhs.uk/Id/ods-organization-code', 'BENCHCRM'
    WHERE NOT EXISTS (SELECT 1 FROM search_token WHERE value = 'BENCHCRM')`, [provider])
  const callers: Array<[string, Caller]> = [
    ['admin', { clientId: 'admin', role: 'admin', scopes: [], identifiable: true }],
    [`gp-system ${practice}`, { clientId: 'gp', role: 'gp-system', odsCode: practice, scopes: [], identifiable: false }],
    [`link-worker ${pcn}`, { clientId: 'lw', role: 'link-worker-service', odsCode: pcn, scopes: [], identifiable: false }],
    ['vcfse-crm (busiest VCFSE owner)', { clientId: 'crm', role: 'vcfse-crm', odsCode: 'BENCHCRM', scopes: [], identifiable: false }],
    ['dashboard', { clientId: 'dash', role: 'dashboard', odsCode: 'X26', scopes: [], identifiable: false }]
  ]
  const queries: Array<[string, string]> = [
    ['ServiceRequest', 'status=active&_count=20'],
    ['ServiceRequest', '_summary=count'],
    ['Task', 'status=requested,accepted,in-progress&_sort=-_lastUpdated&_include=Task:focus&_include=Task:patient&_count=20'],
    ['Patient', '_count=20&_total=accurate'],
    ['Observation', 'category=survey&_summary=count']
  ]
  console.log(`| caller | ${queries.map(([type, q]) => `${type}?${q}`).join(' | ')} |`)
  console.log(`|---|${queries.map(() => '---').join('|')}|`)
  for (const [name, caller] of callers) {
    const cells: string[] = []
    for (const [type, query] of queries) {
      const times: number[] = []
      let found = ''
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now()
        const bundle = await executeSearch(db, settings, { types: [type], params: new URLSearchParams(query), endpoint: `x/${type}`, lenient: false, caller })
        times.push(performance.now() - start)
        found = bundle.total === undefined ? `${bundle.entry?.length ?? 0} entries` : `total ${bundle.total}`
      }
      times.sort((a, b) => a - b)
      cells.push(`${(times[Math.floor(RUNS / 2)] ?? 0).toFixed(1)} ms (${found})`)
    }
    console.log(`| ${name} | ${cells.join(' | ')} |`)
  }
  await db.close()
}

await main()
