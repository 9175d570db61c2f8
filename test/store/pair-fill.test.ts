/**
 * The pair index is written with every resource and filled from the ordinary index tables when
 * a pair is new or changed (src/store/pair-fill.ts, run by migrate): both must give the same
 * rows, or searches would answer differently before and after a restart.
 */
import t from 'tap'
import type { Database } from '../../src/store/database.js'
import { migrate } from '../../src/store/migrate.js'
import { fillPairIndexes } from '../../src/store/pair-fill.js'
import { PAIR_INDEXES } from '../../src/store/pair-index.js'
import { bulkCreateWithR4Parameters, openMigratedStore } from './migrated-store.js'

const TASKS = [
  { resourceType: 'Task', id: 'relative', status: 'requested', intent: 'order', owner: { reference: 'Organization/org-a' } },
  { resourceType: 'Task', id: 'own-url', status: 'accepted', intent: 'order', owner: { reference: 'http://localhost:8080/fhir/Practitioner/p-1' } },
  { resourceType: 'Task', id: 'elsewhere', status: 'requested', intent: 'order', owner: { reference: 'https://elsewhere.example/fhir/Organization/org-a' } },
  { resourceType: 'Task', id: 'no-owner', status: 'requested', intent: 'order' },
  { resourceType: 'Task', id: 'other-type', status: 'cancelled', intent: 'order', owner: { reference: 'Patient/pat-1' } }
]

async function pairRows (db: Database): Promise<string[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    'SELECT resource_type, resource_id, name, target_type, target_id, system, value FROM search_pair ORDER BY 1, 2, 3, 4, 5, 6, 7')
  return rows.map(row => JSON.stringify(row))
}

t.test('the rows a write makes are the rows a fill makes', async t => {
  const db = await openMigratedStore(t)
  await bulkCreateWithR4Parameters(db, TASKS)

  const written = await pairRows(db)
  t.same(written.map(row => JSON.parse(row).resource_id), ['other-type', 'own-url', 'relative'],
    'one row per Task whose owner is a resource by id: not an owner on another server, not a Task without one')
  t.same(await fillPairIndexes(db), [], 'a pair already filled is left alone')

  await db.query('DELETE FROM search_pair_def')
  await db.query('DELETE FROM search_pair')
  t.same(await fillPairIndexes(db), PAIR_INDEXES.map(p => p.name), 'a pair the database lacks is filled')
  t.same(await pairRows(db), written, 'with the same rows the writes made')

  const [tasks] = PAIR_INDEXES
  if (tasks === undefined) throw new Error('no pair')
  t.same(await fillPairIndexes(db, [{ ...tasks, token: 'intent' }]), [tasks.name], 'a changed pair is filled again')
  t.same((await pairRows(db)).map(row => JSON.parse(row).value), ['order', 'order', 'order'], 'from the parameter it now names')
  await migrate(db)
  t.same(await pairRows(db), written, 'and the next start puts back what the code defines')
})
