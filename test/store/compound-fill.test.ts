/**
 * The compound index is written with every resource and filled from the ordinary index tables
 * when a compound is new or changed (src/store/compound-fill.ts, run by migrate): both must give
 * the same rows, or searches would answer differently before and after a restart.
 */
import t from 'tap'
import { fillCompoundIndexes } from '../../src/store/compound-fill.js'
import { COMPOUND_INDEXES } from '../../src/store/compound-index.js'
import type { Database } from '../../src/store/database.js'
import { migrate } from '../../src/store/migrate.js'
import { OBSERVATIONS } from '../fhir/search-support/compound-observations.js'
import { bulkCreateWithR4Parameters, openMigratedStore } from './migrated-store.js'

async function compoundRows (db: Database): Promise<string[]> {
  const { rows } = await db.query<Record<string, unknown>>(`
    SELECT resource_type, resource_id, name, single, point, system, value, d_low::text, d_high::text, q_low::text, q_high::text
    FROM search_compound ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11`)
  return rows.map(row => JSON.stringify(row))
}

t.test('the rows a write makes are the rows a fill makes', async t => {
  const db = await openMigratedStore(t)
  await bulkCreateWithR4Parameters(db, OBSERVATIONS)

  const written = await compoundRows(db)
  const kinds = (await db.query<{ single: boolean, point: boolean, n: string }>('SELECT single, point, count(*) AS n FROM search_compound GROUP BY 1, 2 ORDER BY 1, 2')).rows
  t.same(kinds.map(k => [k.single, k.point, Number(k.n)]), [[false, false, 2], [true, false, 3], [true, true, 11]],
    'one marker per Timing; periods and points one row per coding × value (a UCUM score indexed under its unit and its code is one value)')
  t.same(await fillCompoundIndexes(db), [], 'a compound already filled is left alone')

  await db.query('DELETE FROM search_compound_def')
  await db.query('DELETE FROM search_compound')
  t.same(await fillCompoundIndexes(db), COMPOUND_INDEXES.map(c => c.name), 'a compound the database lacks is filled')
  t.same(await compoundRows(db), written, 'with the same rows the writes made')

  const [observations] = COMPOUND_INDEXES
  if (observations === undefined) throw new Error('no compound')
  t.same(await fillCompoundIndexes(db, [{ ...observations, quantity: undefined }]), [observations.name], 'a changed compound is filled again')
  t.equal((await compoundRows(db)).filter(row => row.includes('"q_low":null')).length, (await compoundRows(db)).length, 'without the quantity it no longer has')
  await migrate(db)
  t.same(await compoundRows(db), written, 'and the next start puts back what the code defines')
})
