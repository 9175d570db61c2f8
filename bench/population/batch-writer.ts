/**
 * Where seeded batches go: straight into the store from this thread, one transaction per batch
 * through bulkCreate (the same validation and search indexing as any create).
 */
import type { Resource } from '@medplum/fhirtypes'
import type { Config } from '../../src/config.js'
import { GatewayError } from '../../src/errors.js'
import { createFhirContext } from '../../src/fhir/fhir-context.js'
import { bulkCreate } from '../../src/fhir/interactions/bulk-create.js'
import { loadProfiles } from '../../src/fhir/validation/profiles.js'
import { loadSearchParameters } from '../../src/fhir/validation/search-parameters.js'
import type { Database } from '../../src/store/database.js'
import { buildDeferredIndexes, deferIndexesForBulkLoad } from '../../src/store/deferred-indexes.js'
import { migrate } from '../../src/store/migrate.js'
import { openDatabase } from '../../src/store/open.js'

export interface BatchWriter {
  readonly store: Database['kind']
  /** Batches worth having in flight at once; more would only queue. */
  readonly concurrency: number
  /** Resolves with the number of resources written. */
  write(batch: readonly Resource[]): Promise<number>
  /** Sets the secondary indexes aside while the store is empty (deferred-indexes.ts); answers how many. */
  deferIndexes(): Promise<number>
  /** Builds the indexes set aside; answers how many. */
  buildIndexes(): Promise<number>
  close(): Promise<void>
}

/** PGlite runs one statement at a time; PostgreSQL builds two indexes side by side on two cores. */
export const INDEX_BUILDS_AT_ONCE = { postgres: 2, pglite: 1 } as const

/** Opens the store (migrated) and writes batches from this thread. */
export async function openStoreWriter (config: Config): Promise<BatchWriter> {
  const db = await openDatabase(config.store)
  try {
    await migrate(db)
    const ctx = createFhirContext({
      profiles: await loadProfiles(config.profilesDir),
      searchParameters: await loadSearchParameters(config.profilesDir),
      unknownProfile: 'reject',
      fhirBaseUrl: config.fhirBaseUrl,
      searchDefaultCount: config.searchDefaultCount,
      searchMaxCount: config.searchMaxCount
    })
    return {
      store: db.kind,
      // Two on PostgreSQL: one batch is validated while the other is inserted. PGlite runs one
      // transaction at a time, so a second batch would only wait.
      concurrency: db.kind === 'postgres' ? 2 : 1,
      write: async (batch) => {
        try {
          return await db.transaction(async tx => await bulkCreate(ctx, tx, batch))
        } catch (err) {
          throw describeFailure(err, batch)
        }
      },
      deferIndexes: async () => await deferIndexesForBulkLoad(db),
      buildIndexes: async () => await buildDeferredIndexes(db, INDEX_BUILDS_AT_ONCE[db.kind]),
      close: async () => { await db.close() }
    }
  } catch (err) {
    await db.close()
    throw err
  }
}

/** Names the failing resource by type and id and the issue locations, never its content. */
function describeFailure (err: unknown, batch: readonly Resource[]): Error {
  if (!(err instanceof GatewayError)) return err instanceof Error ? err : new Error(String(err))
  const entry = /entry (\d+)/.exec(err.message)?.[1]
  const resource = entry === undefined ? undefined : batch[Number(entry)]
  const where = resource === undefined ? '' : ` (${resource.resourceType}/${resource.id ?? '?'})`
  const issues = (err.issues ?? []).map(issue => `${issue.code}${issue.expression === undefined ? '' : ` at ${issue.expression.join(', ')}`}`)
  return new Error(`Seeding failed: ${err.message}${where}${issues.length === 0 ? '' : `: ${issues.join('; ')}`}`)
}
