/**
 * Embedded PostgreSQL (PGlite): persisted in a data directory, or in memory when none is given.
 * PGlite runs one statement or one transaction at a time, so its transactions are serialisable
 * by construction.
 */
import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import type { Database, Queryable } from './database.js'

/**
 * A new in-memory cluster, as initdb leaves it, to start further in-memory databases from: initdb
 * is most of PGlite's start-up (2-3 s here, against about half a second to load this copy). The
 * copy is also kept in the temporary directory, keyed by PGlite's version, because the test
 * suite opens its in-memory databases from a hundred processes.
 */
let blankCluster: Promise<Blob> | undefined

/**
 * An in-memory database keeps its pages in memory anyway; PostgreSQL's default 128 MB of shared
 * buffers only make each start zero them (about 0.4 s of a test process's PGlite start here).
 */
const IN_MEMORY_START = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB']

async function openInMemory (): Promise<PGlite> {
  blankCluster ??= remember(async () => await readFile(await blankClusterFile()).then(
    bytes => new Blob([bytes]),
    async () => await makeBlankCluster()
  ))
  const db = new PGlite({ loadDataDir: await blankCluster, startParams: IN_MEMORY_START })
  try {
    await db.waitReady
    return db
  } catch {
    // A kept copy that does not load (damaged, or left by another build): made again from initdb.
    await db.close().catch(() => undefined)
    blankCluster = remember(makeBlankCluster)
    return new PGlite({ loadDataDir: await blankCluster, startParams: IN_MEMORY_START })
  }
}

/** The promise, forgotten again if it fails, so that the next database tries afresh. */
function remember (make: () => Promise<Blob>): Promise<Blob> {
  const made = make()
  made.catch(() => { if (blankCluster === made) blankCluster = undefined })
  return made
}

/** Where the copy is kept between processes. */
export async function blankClusterFile (): Promise<string> {
  return join(tmpdir(), `sp-gateway-pglite-${await pgliteVersion()}-blank.tar`)
}

async function makeBlankCluster (): Promise<Blob> {
  const fresh = new PGlite()
  try {
    await fresh.waitReady
    const dump = await fresh.dumpDataDir('none')
    const file = await blankClusterFile()
    const partial = `${file}.${process.pid}.${randomUUID()}`
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()))
    await rename(partial, file)
    return dump
  } finally {
    await fresh.close()
  }
}

/** The installed PGlite's version, from its package.json (which the package does not export). */
async function pgliteVersion (): Promise<string> {
  let dir = dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')))
  while (dir !== dirname(dir)) {
    try {
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name?: string, version?: string }
      if (manifest.name === '@electric-sql/pglite' && manifest.version !== undefined) return manifest.version
    } catch {
      // No package.json at this level.
    }
    dir = dirname(dir)
  }
  throw new Error('cannot find the version of @electric-sql/pglite')
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
