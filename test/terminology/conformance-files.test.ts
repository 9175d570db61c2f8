/**
 * The committed profiles/ folder is exactly what tools/profiles generates, every file is a valid
 * R4 resource the gateway can load, and publishing at start writes only what changed.
 */
import { test } from 'tap'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Resource } from '@medplum/fhirtypes'
import { conformanceResources } from '../../tools/profiles/resources.js'
import { createFhirContext } from '../../src/fhir/fhir-context.js'
import { publishConformance } from '../../src/fhir/conformance/publish.js'
import { loadProfiles } from '../../src/fhir/validation/profiles.js'
import { migrate } from '../../src/store/migrate.js'
import { openDatabase } from '../../src/store/open.js'
import { isolatedDatabaseUrl } from '../helper.js'

test('profiles/ matches the generator (run: node --import tsx tools/profiles/build.ts)', async (t) => {
  const generated = conformanceResources()
  const files = (await readdir('profiles')).filter(f => f.endsWith('.json')).sort()
  t.same(files, generated.map(r => `${r.resourceType}-${r.id ?? ''}.json`).sort(), 'the same files')
  for (const resource of generated) {
    const committed = JSON.parse(await readFile(join('profiles', `${resource.resourceType}-${resource.id ?? ''}.json`), 'utf8')) as Resource
    t.same(committed, resource, `${resource.resourceType}/${resource.id ?? ''} is up to date`)
  }
})

test('every conformance resource validates and publishing is idempotent', async (t) => {
  const resources = conformanceResources()
  const profiles = await loadProfiles('profiles')
  const ctx = createFhirContext({
    profiles, searchParameters: [], unknownProfile: 'reject', fhirBaseUrl: 'http://localhost/fhir',
    searchDefaultCount: 20, searchMaxCount: 100, conformance: resources
  })
  for (const resource of resources) {
    t.doesNotThrow(() => ctx.validator.validate(resource), `${resource.resourceType}/${resource.id ?? ''} validates`)
  }
  const url = await isolatedDatabaseUrl(t)
  const db = await openDatabase(url === undefined ? { kind: 'pglite', dataDir: undefined } : { kind: 'postgres', url, poolSize: 2 })
  t.teardown(async () => { await db.close() })
  await migrate(db)
  t.equal(await publishConformance(ctx, db, resources), resources.length, 'first start writes everything')
  t.equal(await publishConformance(ctx, db, resources), 0, 'a second start writes nothing')
  const changed = resources.map(r => r.id === 'referral-route' && r.resourceType === 'CodeSystem' ? { ...r, title: 'Changed' } as Resource : r)
  t.equal(await publishConformance(ctx, db, changed), 1, 'a changed file is written as a new version')
})
