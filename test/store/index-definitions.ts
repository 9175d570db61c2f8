/** The indexes a store holds, for tests that set indexes aside and build them again. */
import type { Database } from '../../src/store/database.js'

/** Every index of the store's tables, as PostgreSQL would create it again (without the schema, which differs per test). */
export async function indexDefinitions (db: Database): Promise<string[]> {
  const { rows } = await db.query<{ definition: string }>(
    `SELECT pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
      WHERE c.relnamespace = current_schema()::regnamespace ORDER BY 1`)
  return rows.map(row => row.definition.replace(/ ON [A-Za-z0-9_]+\./, ' ON '))
}
