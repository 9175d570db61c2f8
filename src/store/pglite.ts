/**
 * Embedded PostgreSQL (PGlite): persisted in a data directory, or in memory when none is given.
 * PGlite runs one statement or one transaction at a time, so its transactions are serialisable
 * by construction.
 */
import { mkdir } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import type { Database, Queryable } from './database.js'

/**
 * A new in-memory cluster, as initdb leaves it, to start further in-memory databases from: initdb
 * is most of PGlite's start-up (2-3 s here, against about half a second to load this copy), and a
 * process that opens many in-memory databases (the test suite) would otherwise run it each time.
 */
let blankCluster: Promise<Blob> | undefined

async function openInMemory (): Promise<PGlite> {
  if (blankCluster === undefined) {
    const first = new PGlite()
    blankCluster = first.waitReady.then(async () => await first.dumpDataDir('none'))
    blankCluster.catch(() => { blankCluster = undefined })
    await blankCluster
    return first
  }
  return new PGlite({ loadDataDir: await blankCluster })
}

export async function createPgliteDatabase (dataDir: string | undefined): Promise<Database> {
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true })
  const db = dataDir === undefined ? await openInMemory() : new PGlite(dataDir)
  await db.waitReady

  return {
    kind: 'pglite',
    async query<Row>(sql: string, params?: readonly unknown[]) {
      const result = await db.query<Row>(sql, params as unknown[] | undefined)
      return { rows: result.rows }
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return await db.transaction(async (inner) => {
        const tx: Queryable = {
          async query<Row>(sql: string, params?: readonly unknown[]) {
            const result = await inner.query<Row>(sql, params as unknown[] | undefined)
            return { rows: result.rows }
          }
        }
        return await fn(tx)
      })
    },
    async exec (sql: string) {
      await db.exec(sql)
    },
    async close () {
      await db.close()
    }
  }
}
