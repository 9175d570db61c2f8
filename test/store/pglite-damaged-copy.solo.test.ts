/**
 * The blank cluster that in-memory databases start from is kept between processes in the
 * temporary directory (src/store/pglite.ts). A copy that does not load must not stop a database
 * from opening: it is made again from initdb. A solo file (a process of its own, not a shard's),
 * so that this process has loaded no copy before the test damages it.
 */
import { readFile, writeFile } from 'node:fs/promises'
import t from 'tap'
import { blankClusterFile, createPgliteDatabase } from '../../src/store/pglite.js'

t.test('a kept copy that does not load is made again', async t => {
  const file = await blankClusterFile()
  await writeFile(file, 'not a PostgreSQL cluster')
  const db = await createPgliteDatabase(undefined)
  t.teardown(async () => { await db.close() })
  t.same((await db.query<{ n: number }>('SELECT 1 AS n')).rows, [{ n: 1 }], 'the database opens all the same')
  t.ok((await readFile(file)).length > 1_000_000, 'and the copy is replaced by a real one')
})
