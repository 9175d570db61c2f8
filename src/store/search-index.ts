/**
 * Writes search index rows. Every table is filled from parallel arrays with unnest(), so a
 * resource's whole index (or a bulk batch's) is one INSERT per table, all in one statement.
 */
import { compoundRows } from './compound-index.js'
import type { IndexRows } from './index-rows.js'
import { pairRows } from './pair-index.js'

export interface IndexedResource {
  readonly type: string
  readonly id: string
  readonly rows: IndexRows
}

interface TableSpec {
  readonly table: string
  readonly columns: ReadonlyArray<readonly [name: string, sqlType: string]>
  readonly values: (rows: IndexRows, type: string) => ReadonlyArray<ReadonlyArray<unknown>>
}

const TABLES: readonly TableSpec[] = [
  { table: 'search_token', columns: [['code', 'text'], ['system', 'text'], ['value', 'text']], values: r => r.token.map(t => [t.code, t.system, t.value]) },
  { table: 'search_string', columns: [['code', 'text'], ['folded', 'text'], ['exact', 'text']], values: r => r.string.map(s => [s.code, s.folded, s.exact]) },
  { table: 'search_reference', columns: [['code', 'text'], ['target_type', 'text'], ['target_id', 'text'], ['url', 'text']], values: r => r.reference.map(x => [x.code, x.targetType, x.targetId, x.url]) },
  { table: 'search_date', columns: [['code', 'text'], ['low', 'timestamptz'], ['high', 'timestamptz']], values: r => r.date.map(d => [d.code, d.low ?? '-infinity', d.high ?? 'infinity']) },
  { table: 'search_number', columns: [['code', 'text'], ['low', 'numeric'], ['high', 'numeric']], values: r => r.number.map(n => [n.code, n.low, n.high]) },
  { table: 'search_quantity', columns: [['code', 'text'], ['system', 'text'], ['unit', 'text'], ['low', 'numeric'], ['high', 'numeric']], values: r => r.quantity.map(q => [q.code, q.system, q.unit, q.low, q.high]) },
  { table: 'search_uri', columns: [['code', 'text'], ['value', 'text']], values: r => r.uri.map(u => [u.code, u.value]) },
  {
    table: 'search_composite',
    columns: [['code', 'text'], ['system', 'text'], ['value', 'text'], ['q_system', 'text'], ['q_unit', 'text'], ['q_low', 'numeric'], ['q_high', 'numeric'], ['c_system', 'text'], ['c_value', 'text'], ['d_low', 'timestamptz'], ['d_high', 'timestamptz'], ['s_folded', 'text']],
    values: r => r.composite.map(c => [
      c.code, c.system, c.value,
      c.second.quantity?.system ?? null, c.second.quantity?.unit ?? null, c.second.quantity?.low ?? null, c.second.quantity?.high ?? null,
      c.second.token?.system ?? null, c.second.token?.value ?? null,
      c.second.date === undefined ? null : c.second.date.low ?? '-infinity', c.second.date === undefined ? null : c.second.date.high ?? 'infinity',
      c.second.string?.folded ?? null
    ])
  },
  {
    table: 'search_compound',
    columns: [['name', 'text'], ['single', 'boolean'], ['point', 'boolean'], ['system', 'text'], ['value', 'text'], ['d_low', 'timestamptz'], ['d_high', 'timestamptz'], ['q_low', 'numeric'], ['q_high', 'numeric']],
    values: (r, type) => compoundRows(type, r).map(c => [
      c.name, c.single, c.point, c.system, c.value,
      c.single ? c.dLow ?? '-infinity' : null, c.single ? c.dHigh ?? 'infinity' : null,
      c.quantity?.low ?? null, c.quantity?.high ?? null
    ])
  },
  {
    table: 'search_pair',
    columns: [['name', 'text'], ['target_type', 'text'], ['target_id', 'text'], ['system', 'text'], ['value', 'text']],
    values: (r, type) => pairRows(type, r).map(p => [p.name, p.targetType, p.targetId, p.system, p.value])
  }
]

export const SEARCH_TABLES = TABLES.map(t => t.table)

/**
 * SQL fragments (CTE bodies) that insert the index rows of `resources`; parameters are appended
 * to `params`. `guard` is an SQL condition that must hold for a row to be written; it can name
 * the row's columns (resource_type, resource_id, …).
 */
export function indexInsertStatements (resources: readonly IndexedResource[], params: unknown[], guard = 'true'): string[] {
  const statements: string[] = []
  for (const spec of TABLES) {
    const types: unknown[] = []
    const ids: unknown[] = []
    const columns: unknown[][] = spec.columns.map(() => [])
    for (const resource of resources) {
      for (const row of spec.values(resource.rows, resource.type)) {
        types.push(resource.type)
        ids.push(resource.id)
        row.forEach((value, i) => columns[i]?.push(value))
      }
    }
    if (types.length === 0) continue
    const start = params.length
    params.push(types, ids, ...columns)
    const arrays = [['resource_type', 'text'], ['resource_id', 'text'], ...spec.columns]
      .map(([, sqlType], i) => `$${start + i + 1}::${sqlType}[]`).join(', ')
    const names = ['resource_type', 'resource_id', ...spec.columns.map(([name]) => name)].join(', ')
    statements.push(`INSERT INTO ${spec.table} (${names}) SELECT * FROM unnest(${arrays}) AS row(${names}) WHERE ${guard}`)
  }
  return statements
}

/**
 * Statements that drop a resource's index rows; its type and id must be $1 and $2. In one
 * statement with the inserts of its new rows, the deletes see only the old rows (same snapshot).
 */
export function indexDeleteStatements (): string[] {
  return SEARCH_TABLES.map(table => `DELETE FROM ${table} WHERE resource_type = $1 AND resource_id = $2`)
}

/** Joins data-modifying statements into one, so they cost one round trip. */
export function withStatements (statements: readonly string[], final = 'SELECT 1'): string {
  if (statements.length === 0) return final
  return `WITH ${statements.map((s, i) => `s${i} AS (${s})`).join(', ')} ${final}`
}
