/**
 * insertAllNew (bulk loads, published conformance resources): all rows go in, or the caller's
 * transaction fails with a conflict naming the ids taken or given twice, and nothing is stored.
 */
import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { GatewayError } from '../../src/errors.js'
import { emptyIndexRows } from '../../src/store/index-rows.js'
import { migrate } from '../../src/store/migrate.js'
import { openDatabase } from '../../src/store/open.js'
import { insertAllNew, type NewResourceRow } from '../../src/store/resources.js'
import { isolatedDatabaseUrl } from '../helper.js'

function row (id: string): NewResourceRow {
  const lastUpdated = new Date().toISOString()
  const index = { ...emptyIndexRows(), token: [{ code: 'identifier', system: 'urn:test', value: id }] }
  return { type: 'Basic', id, lastUpdated, json: JSON.stringify({ resourceType: 'Basic', id }), index }
}

t.test('all new rows go in; a taken or repeated id fails the transaction and stores nothing', async t => {
  const url = await isolatedDatabaseUrl(t)
  const db = await openDatabase(loadConfig({ DATA_DIR: ':memory:', ...(url === undefined ? {} : { DATABASE_URL: url }) }).store)
  t.teardown(async () => { await db.close() })
  await migrate(db)
  const count = async (): Promise<number> => Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM resource WHERE resource_type = 'Basic'")).rows[0]?.n)

  await db.transaction(async tx => { await insertAllNew(tx, [row('a'), row('b')]) })
  t.equal(await count(), 2)

  for (const rows of [[row('c'), row('a')], [row('d'), row('d')]]) {
    const failed = await db.transaction(async tx => { await insertAllNew(tx, rows) }).catch((err: unknown) => err)
    t.ok(failed instanceof GatewayError && failed.category === 'conflict', 'a conflict')
    t.match((failed as Error).message, rows[1]?.id === 'a' ? /Basic\/a/ : /Basic\/d/, 'naming the id')
    t.equal(await count(), 2, 'nothing of the batch is stored')
  }
  const indexed = await db.query<{ n: string }>("SELECT count(*) AS n FROM search_token WHERE resource_type = 'Basic'")
  t.equal(Number(indexed.rows[0]?.n), 2, 'no stray index rows')
})
