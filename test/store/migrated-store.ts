/**
 * A migrated store of its own for a store-level test (PGlite in memory, or a fresh PostgreSQL
 * database when DATABASE_URL is set), closed when the test ends.
 */
import type { Test } from 'tap'
import type { Resource } from '@medplum/fhirtypes'
import { loadConfig } from '../../src/config.js'
import { createFhirContext } from '../../src/fhir/fhir-context.js'
import { bulkCreate } from '../../src/fhir/interactions/bulk-create.js'
import type { Database } from '../../src/store/database.js'
import { migrate } from '../../src/store/migrate.js'
import { openDatabase } from '../../src/store/open.js'
import { isolatedDatabaseUrl } from '../helper.js'

export async function openMigratedStore (t: Test): Promise<Database> {
  const url = await isolatedDatabaseUrl(t)
  const config = loadConfig({ DATA_DIR: ':memory:', ...(url === undefined ? {} : { DATABASE_URL: url }) })
  const db = await openDatabase(config.store)
  t.teardown(async () => { await db.close() })
  await migrate(db)
  return db
}

/**
 * Writes `resources` through the bulk path, with R4's own search parameters only (no profiles or
 * SearchParameters from profiles/).
 */
export async function bulkCreateWithR4Parameters (db: Database, resources: readonly unknown[]): Promise<void> {
  const fhirBaseUrl = loadConfig({ DATA_DIR: ':memory:' }).fhirBaseUrl
  const ctx = createFhirContext({ profiles: new Map(), searchParameters: [], unknownProfile: 'reject', fhirBaseUrl, searchDefaultCount: 20, searchMaxCount: 100 })
  await db.transaction(async tx => await bulkCreate(ctx, tx, resources as Resource[]))
}
