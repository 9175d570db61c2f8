/**
 * In-memory embedded databases start from a copy of a blank cluster (src/store/pglite.ts): each
 * must still be its own, empty database, whatever was written to the others before or since.
 */
import t from 'tap'
import { createPgliteDatabase } from '../../src/store/pglite.js'

t.test('each in-memory database is separate and starts empty', async t => {
  const first = await createPgliteDatabase(undefined)
  t.teardown(async () => { await first.close() })
  await first.exec('CREATE TABLE note (text text); INSERT INTO note VALUES (\'first\')')

  const second = await createPgliteDatabase(undefined)
  t.teardown(async () => { await second.close() })
  const tables = async (db: typeof first): Promise<number> =>
    Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'")).rows[0]?.n)
  t.equal(await tables(second), 0, 'a database opened after another was written holds none of it')
  await second.exec('CREATE TABLE other (n int)')

  const third = await createPgliteDatabase(undefined)
  t.teardown(async () => { await third.close() })
  t.equal(await tables(third), 0, 'nor does one opened after two')
  t.same((await first.query<{ text: string }>('SELECT text FROM note')).rows, [{ text: 'first' }], 'the first keeps its own rows')
  t.equal(await tables(first), 1, 'and none of the others\' tables')
})
