/**
 * Builds any indexes a cut-off bulk load left deferred (deferred-indexes.ts), then applies
 * store/migrations/NNN-name.sql in order, once each, recording them in schema_migration.
 * An advisory lock makes gateway processes that start together take turns. Then fills the
 * compound and pair indexes that code defines and the database does not yet hold
 * (compound-fill.ts, pair-fill.ts), so every program that opens the store writes and searches
 * them alike.
 */
import { readdir, readFile } from 'node:fs/promises'
import { fillCompoundIndexes } from './compound-fill.js'
import { buildDeferredIndexes, hasDeferredIndexes } from './deferred-indexes.js'
import type { Database } from './database.js'
import { fillPairIndexes } from './pair-fill.js'

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url)
/** Arbitrary constant: the advisory-lock key reserved for migrations. */
const MIGRATION_LOCK_KEY = 727_001

export async function migrate (db: Database): Promise<string[]> {
  // A bulk load cut off half way left indexes unbuilt; later migrations may name them.
  if (await hasDeferredIndexes(db)) await buildDeferredIndexes(db)
  const files = (await readdir(MIGRATIONS_DIR)).filter(f => /^\d{3}-[\w-]+\.sql$/.test(f)).sort()
  const appliedNow = await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY])
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())')
    const { rows } = await tx.query<{ name: string }>('SELECT name FROM schema_migration')
    const applied = new Set(rows.map(r => r.name))
    const newlyApplied: string[] = []
    for (const file of files) {
      if (applied.has(file)) continue
      const sql = await readFile(new URL(file, MIGRATIONS_DIR), 'utf8')
      for (const statement of splitStatements(sql)) await tx.query(statement)
      await tx.query('INSERT INTO schema_migration (name) VALUES ($1)', [file])
      newlyApplied.push(file)
    }
    return newlyApplied
  })
  await fillCompoundIndexes(db)
  await fillPairIndexes(db)
  return appliedNow
}

/** Migrations hold plain DDL; statements end with a semicolon at the end of a line. */
function splitStatements (sql: string): string[] {
  const withoutComments = sql.split('\n').filter(line => !line.trimStart().startsWith('--')).join('\n')
  return withoutComments.split(/;\s*$/m).map(s => s.trim()).filter(s => s.length > 0)
}
