/**
 * Counted searches: a dashboard tile asks for the `_summary=count` of the same search again and
 * again, and intersecting large index sets costs tens of milliseconds or more at scale. A
 * registered search keeps the ids of its matches in `search_tally_member`, maintained by a row
 * trigger on `resource` inside every writing statement, so the membership commits or rolls back
 * with the write; its count is one index range.
 *
 * Only searches whose match depends on nothing but the resource's own current version can be
 * counted this way: no chain or _has (another resource's write would change the answer), no
 * :in/:not-in (the ValueSet may change), no `ap` dates (the window moves with the clock).
 */
import type { Condition, SearchQuery } from '../fhir/search/query.js'
import type { Database, Queryable } from './database.js'
import { searchFilter } from './search-sql.js'

/** Arbitrary constant: the advisory-lock key reserved for registering counted searches. */
const TALLY_LOCK_KEY = 727_002

/** Parameters that change what is returned or how, not which resources match. */
const RESULT_PARAMS = new Set(['_count', '_cursor', '_format', '_pretty', '_total', '_summary', '_elements', '_include', '_revinclude', '_sort', '_type'])

/** The search in canonical form: its types and its matching parameters, sorted. */
export function tallyKey (query: SearchQuery): string {
  const params = [...query.params].filter(([name]) => !RESULT_PARAMS.has(name.split(':')[0] as string))
  params.sort(([a, av], [b, bv]) => a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : (a < b ? -1 : 1))
  return `${[...query.types].sort().join(',')}?${new URLSearchParams(params).toString()}`
}

/** Why a search cannot be counted by a tally, or undefined when it can. */
export function untallyable (query: SearchQuery): string | undefined {
  if (query.types.length !== 1) return 'it must search exactly one resource type'
  if (query.conditions.length === 0) return 'it has no conditions'
  for (const condition of query.conditions) {
    const reason = conditionProblem(condition)
    if (reason !== undefined) return reason
  }
  return undefined
}

function conditionProblem (condition: Condition): string | undefined {
  switch (condition.kind) {
    case 'chain': return 'a chained parameter depends on other resources'
    case 'has': return '_has depends on other resources'
    case 'token-in': return ':in and :not-in depend on a ValueSet that may change'
    case 'date': case 'last-updated':
      return condition.values.some(v => v.prefix === 'ap') ? 'the ap prefix depends on the current time' : undefined
    default: return undefined
  }
}

/**
 * Makes `queries` the counted searches, and only them: new or changed ones are filled from the
 * current data while writes wait (a SHARE lock on `resource`), dropped ones are forgotten, and
 * the trigger exists only while there is something to count.
 */
export async function registerTallies (db: Database, queries: readonly SearchQuery[]): Promise<void> {
  const wanted = new Map<string, { type: string, matchSql: string, fillSql: string, params: unknown[] }>()
  for (const query of queries) {
    const problem = untallyable(query)
    if (problem !== undefined) throw new Error(`cannot count ${tallyKey(query)}: ${problem}`)
    const { where, params } = searchFilter(query, new Map())
    wanted.set(tallyKey(query), {
      type: query.types[0] as string,
      matchSql: `SELECT EXISTS (SELECT 1 FROM resource r WHERE r.id = $1 AND ${inlineParams(where, params)})`,
      fillSql: `SELECT r.id FROM resource r WHERE ${where}`,
      params
    })
  }
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [TALLY_LOCK_KEY])
    const { rows } = await tx.query<{ key: string, match_sql: string }>('SELECT key, match_sql FROM search_tally')
    const current = new Map(rows.map(r => [r.key, r.match_sql]))
    const stale = [...current.keys()].filter(key => wanted.get(key)?.matchSql !== current.get(key))
    const fresh = [...wanted.entries()].filter(([key, tally]) => current.get(key) !== tally.matchSql)
    if (stale.length === 0 && fresh.length === 0) return
    // Writers wait until the membership is filled and the trigger is in place; readers do not.
    await tx.query('LOCK TABLE resource IN SHARE MODE')
    if (stale.length > 0) await tx.query('DELETE FROM search_tally WHERE key = ANY($1::text[])', [stale])
    for (const [key, tally] of fresh) {
      await tx.query('INSERT INTO search_tally (key, resource_type, match_sql) VALUES ($1, $2, $3)', [key, tally.type, tally.matchSql])
      const keyParam = `$${tally.params.length + 1}`
      await tx.query(`INSERT INTO search_tally_member (key, resource_id) SELECT ${keyParam}::text, id FROM (${tally.fillSql}) matches`, [...tally.params, key])
    }
    if (wanted.size === 0) {
      await tx.query('DROP TRIGGER IF EXISTS search_tally_follow ON resource')
      return
    }
    await tx.query(TALLY_FUNCTION)
    await tx.query('DROP TRIGGER IF EXISTS search_tally_follow ON resource')
    await tx.query('CREATE TRIGGER search_tally_follow AFTER INSERT OR UPDATE OR DELETE ON resource FOR EACH ROW EXECUTE FUNCTION search_tally_follow()')
  })
}

/**
 * Re-decides each counted search of the written resource's type after the statement that wrote
 * it (an AFTER trigger sees the statement's index rows). The resource row is locked by the
 * write, so two writes of one resource cannot interleave their membership changes.
 */
const TALLY_FUNCTION = `CREATE OR REPLACE FUNCTION search_tally_follow() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  tally record;
  matches boolean;
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM search_tally_member m USING search_tally t
      WHERE m.key = t.key AND t.resource_type = OLD.resource_type AND m.resource_id = OLD.id;
    RETURN NULL;
  END IF;
  FOR tally IN SELECT key, match_sql FROM search_tally WHERE resource_type = NEW.resource_type LOOP
    EXECUTE tally.match_sql INTO matches USING NEW.id;
    IF matches THEN
      INSERT INTO search_tally_member (key, resource_id) VALUES (tally.key, NEW.id) ON CONFLICT DO NOTHING;
    ELSE
      DELETE FROM search_tally_member WHERE key = tally.key AND resource_id = NEW.id;
    END IF;
  END LOOP;
  RETURN NULL;
END
$fn$`

/** The count of a registered search, or undefined when the search is not one. */
export async function tallyCount (q: Queryable, query: SearchQuery): Promise<number | undefined> {
  if (untallyable(query) !== undefined) return undefined
  const { rows } = await q.query<{ n: string }>(
    'SELECT (SELECT count(*) FROM search_tally_member m WHERE m.key = t.key) AS n FROM search_tally t WHERE t.key = $1',
    [tallyKey(query)]
  )
  return rows[0] === undefined ? undefined : Number(rows[0].n)
}

/**
 * The statement with its values written in as literals, for the trigger to run with only the
 * resource id bound ($1 in the caller's text; the filter's own placeholders are replaced).
 */
function inlineParams (sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]))
}

function literal (value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (Array.isArray(value)) return quote(`{${value.map(v => v === null ? 'NULL' : `"${String(v).replace(/[\\"]/g, c => `\\${c}`)}"`).join(',')}}`)
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint') return quote(String(value))
  throw new Error(`cannot write ${typeof value} as an SQL literal`)
}

function quote (text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}
