/**
 * The group-commit batcher against a real database: rows that arrive while a statement is in
 * flight go together, a row that breaks its batch fails alone, and a taken id is reported, not
 * overwritten. (A bad row cannot reach the store through HTTP, since validation stops it first,
 * so this drives the batcher directly.)
 */
import t from 'tap'
import { createInsertBatcher } from '../../src/store/insert-batcher.js'
import { emptyIndexRows, type IndexRows } from '../../src/store/index-rows.js'
import type { NewResourceRow } from '../../src/store/resources.js'
import { openMigratedStore } from './migrated-store.js'

function row (id: string, tokenValue = id): NewResourceRow {
  const index: IndexRows = { ...emptyIndexRows(), token: [{ code: 'identifier', system: 'urn:test', value: tokenValue }] }
  const lastUpdated = new Date().toISOString()
  return { type: 'Basic', id, lastUpdated, json: JSON.stringify({ resourceType: 'Basic', id, meta: { versionId: '1', lastUpdated } }), index }
}

t.test('a failing row fails alone and a taken id is reported', async t => {
  const db = await openMigratedStore(t)

  const insert = createInsertBatcher(db, { concurrency: 1, maxItems: 10 })
  // The first goes alone at once; the next four queue behind it and go as one batch, which the
  // NUL character (not storable in a text column) breaks.
  const results = await Promise.allSettled([
    insert(row('b-1')), insert(row('b-2')), insert(row('b-3')), insert(row('b-4', 'bad\u0000value')), insert(row('b-5'))
  ])
  t.same(results.map(r => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
  t.same(results.filter(r => r.status === 'fulfilled').map(r => r.value), [true, true, true, true])

  const stored = await db.query<{ id: string }>("SELECT id FROM resource WHERE resource_type = 'Basic' ORDER BY id")
  t.same(stored.rows.map(r => r.id), ['b-1', 'b-2', 'b-3', 'b-5'])
  const indexed = await db.query<{ resource_id: string }>("SELECT resource_id FROM search_token WHERE resource_type = 'Basic' ORDER BY resource_id")
  t.same(indexed.rows.map(r => r.resource_id), ['b-1', 'b-2', 'b-3', 'b-5'], 'no index rows for the failed row')

  t.equal(await insert(row('b-1', 'other')), false, 'a taken id is not inserted again')
  const again = await db.query<{ value: string }>("SELECT value FROM search_token WHERE resource_id = 'b-1'")
  t.same(again.rows.map(r => r.value), ['b-1'], 'and its index is untouched')
})
