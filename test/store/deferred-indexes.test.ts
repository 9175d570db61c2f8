/**
 * Bulk loads into an empty store set their secondary indexes aside and build them at the end
 * (src/store/deferred-indexes.ts). A load cut off half way must cost no index: the next start
 * builds them; and a store that already holds resources keeps its indexes throughout.
 */
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { buildDeferredIndexes, deferIndexesForBulkLoad } from '../../src/store/deferred-indexes.js'
import { migrate } from '../../src/store/migrate.js'
import { openDatabase } from '../../src/store/open.js'
import { FHIR, FHIR_JSON, isolatedDatabaseUrl, patient, temporaryDirectory } from '../helper.js'
import { indexDefinitions } from './index-definitions.js'

async function storeConfig (t: Test): Promise<ReturnType<typeof loadConfig>> {
  const url = await isolatedDatabaseUrl(t)
  const dataDir = await temporaryDirectory(t, 'deferred-indexes-')
  return loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', AUTH_DISABLED: 'true', PROFILES_DIR: './profiles', ...(url === undefined ? {} : { DATABASE_URL: url }) })
}

t.test('a load cut off after setting indexes aside loses none: the next start builds them', async t => {
  const config = await storeConfig(t)
  const db = await openDatabase(config.store)
  await migrate(db)
  const complete = await indexDefinitions(db)
  const deferred = await deferIndexesForBulkLoad(db)
  t.ok(deferred >= 20, `${deferred} indexes set aside in the empty store`)
  t.equal((await indexDefinitions(db)).length, complete.length - deferred, 'and dropped')
  t.ok((await indexDefinitions(db)).some(d => d.includes('resource_pkey')), 'primary keys stay, so ids stay unique')
  // The load "dies" here: nothing builds the indexes before the store is closed.
  await db.close()

  const app = await buildApp(config)
  t.teardown(async () => { await app.close() })
  await app.ready()
  const created = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: patient('9000000009', 'Okafor') })
  t.equal(created.statusCode, 201)
  const found = await app.inject({ method: 'GET', url: `${FHIR}/Patient?family=okafor` })
  t.equal(found.json().total ?? found.json().entry?.length, 1, 'the restarted gateway searches as before')
  await app.close()

  const reopened = await openDatabase(config.store)
  t.teardown(async () => { await reopened.close() })
  t.same(await indexDefinitions(reopened), complete, 'every index is back, defined as before')
  t.same((await reopened.query('SELECT name FROM deferred_index')).rows, [], 'and none is left recorded')
})

t.test('a store that holds resources keeps its indexes', async t => {
  const config = await storeConfig(t)
  const app = await buildApp(config)
  await app.ready()
  const created = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: patient('9000000009') })
  t.equal(created.statusCode, 201)
  await app.close()

  const db = await openDatabase(config.store)
  t.teardown(async () => { await db.close() })
  const before = await indexDefinitions(db)
  t.equal(await deferIndexesForBulkLoad(db), 0, 'nothing set aside')
  t.same(await indexDefinitions(db), before, 'every index still there')
  t.equal(await buildDeferredIndexes(db, 2), 0, 'and nothing to build')
})
