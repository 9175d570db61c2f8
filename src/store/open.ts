/** Chooses the database driver from the store configuration. */
import type { StoreConfig } from '../config.js'
import type { Database } from './database.js'
import { createPgliteDatabase } from './pglite.js'
import { createPostgresDatabase } from './postgres.js'

export async function openDatabase (store: StoreConfig): Promise<Database> {
  return store.kind === 'postgres'
    ? createPostgresDatabase(store.url, store.poolSize)
    : await createPgliteDatabase(store.dataDir)
}
