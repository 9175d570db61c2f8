/**
 * EXPLAIN (ANALYZE, BUFFERS) of the SQL the gateway runs for a search. The search is executed
 * in-process through the same executeSearch the route calls, over a Queryable that records each
 * statement with its parameters; each recorded statement is then explained with those parameters
 * (an unnamed statement with parameters is planned for their values, as the gateway's are).
 */
import type { Pool } from 'pg'
import { executeSearch, type SearchSettings } from '../../src/fhir/search/execute.js'
import type { Queryable } from '../../src/store/database.js'

export interface ExplainedStatement {
  /** page, count, include, or other (value-set lookups). */
  readonly role: string
  readonly sql: string
  readonly plan: readonly string[]
}

export async function explainSearch (pool: Pool, settings: SearchSettings, path: string): Promise<ExplainedStatement[]> {
  const recorded: Array<{ sql: string, params: readonly unknown[] }> = []
  const recording: Queryable = {
    async query<Row>(sql: string, params?: readonly unknown[]) {
      recorded.push({ sql, params: params ?? [] })
      const result = await pool.query(sql, params as unknown[] | undefined)
      return { rows: result.rows as Row[] }
    }
  }
  const [type = '', query = ''] = path.split('?', 2)
  await executeSearch(recording, settings, { types: [type], params: new URLSearchParams(query), endpoint: `${settings.fhirBaseUrl}/${type}`, lenient: false })
  const explained: ExplainedStatement[] = []
  // The planner's-estimate count is itself an EXPLAIN: nothing to explain again.
  for (const { sql, params } of recorded.filter(s => !s.sql.startsWith('EXPLAIN'))) {
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) ${sql}`, params as unknown[])
    explained.push({ role: roleOf(sql), sql: inline(sql, params), plan: rows.map(r => r['QUERY PLAN']) })
  }
  return explained
}

function roleOf (sql: string): string {
  if (sql.includes('count(')) return 'count'
  // A page is either form of searchPage's statement (src/store/search-sql.ts).
  if (sql.startsWith('SELECT *') || sql.startsWith('SELECT r.resource_type, r.id, r.version_id')) return 'page'
  if (sql.startsWith('SELECT DISTINCT')) return 'include'
  return 'other'
}

/**
 * The plan lines that say how rows are found: every plan node (which index, with actual rows
 * and time), the index conditions (which columns an index is entered by) and the totals,
 * without costs, filters and buffer details.
 */
export function abbreviate (plan: readonly string[]): string[] {
  return plan
    .filter((line, i) => i === 0 || line.includes('->') || /^\s+Index Cond:|^(Planning|Execution) Time|^JIT:|^\s+Timing:/.test(line))
    .map(line => line.replace(/\s*\(cost=[^)]*\)/, '').replace(/\s+$/, ''))
}

/** The statement with its parameters written in, for reading (never executed). */
function inline (sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (whole, n: string) => {
    const value = params[Number(n) - 1]
    if (value === undefined) return whole
    return Array.isArray(value) ? `'{${value.map(String).join(',')}}'` : typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`
  })
}
