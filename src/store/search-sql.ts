/**
 * Runs a parsed search: the matching page in a stable order (sort keys, then id), keyset-paged
 * so that a page costs the same at any depth and stays right while others write, plus totals.
 */
import type { SearchQuery, SortKey, SortKind } from '../fhir/search/query.js'
import { GatewayError } from '../errors.js'
import type { Queryable } from './database.js'
import { LIVE_VERSION_COLUMNS, liveVersionOf, type LiveVersionRow, type StoredVersion } from './resources.js'
import { compoundPlan } from './search-compound.js'
import { pairPlan } from './search-pair.js'
import { tallyCount } from './search-tally.js'
import { codeTest, conditionSql, idSet, nestedSelect, param, type IdSet, type SqlContext } from './search-conditions.js'
import { reachTest, reachTestAnyType, type Reach } from './reach.js'

/** Where a page starts: after (next) or before (prev) the row with these sort values. */
export interface PagePosition {
  readonly direction: 'next' | 'prev'
  readonly keys: ReadonlyArray<string | null>
  readonly id: string
}

export interface SearchPage {
  readonly matches: StoredVersion[]
  readonly next: PagePosition | undefined
  readonly previous: PagePosition | undefined
}

interface KeySql { readonly sql: string, readonly kind: SortKind, readonly descending: boolean, readonly nullable: boolean }


/** `reach` limits the matches to what a restricted caller may see (src/store/reach.ts). */
export async function searchPage (
  q: Queryable, query: SearchQuery, valueSets: SqlContext['valueSets'], position: PagePosition | undefined, reach?: Reach
): Promise<SearchPage> {
  const ctx: SqlContext = { params: [], next: 0, valueSets, reach }
  const filter = filterParts(ctx, query)
  const sort = effectiveSort(query)
  // Every condition a set of live index rows and every sort key read from an index table: the
  // page can be ordered and cut from the ids alone, and only its rows read from `resource`
  // (Q2 of bench:search: a provider's 381 open Tasks sorted by date read 21 resource rows, not 381).
  // The set is computed whole, so without _sort this form is kept for sets of a compound or pair
  // index, which exist for narrow combinations (Q5: 1,808 Observations, 21 rows read instead of
  // 1,808). A broad set (142,133 female Patients) is left to the planner, which walks `resource`
  // in id order and stops at the page's end; computing it whole took 3 s.
  const idsFirst = filter.indexOnly && (sort.length > 0 ? sort.every(key => key.code !== '_id' && key.code !== '_lastUpdated') : filter.derived)
  const typeParam = idsFirst ? param(ctx, query.types[0]) : undefined
  const keys = [
    ...sortKeys(ctx, sort, typeParam === undefined ? undefined : { type: typeParam, id: 'm.id' }),
    // Ids are unique within a type only: across types the type settles ties, or a page boundary
    // between Patient/x and Group/x would skip one of them.
    ...(query.types.length > 1 ? [RESOURCE_TYPE_KEY] : [])
  ]
  const reverse = position?.direction === 'prev'
  const order = keys.map(k => ({ ...k, descending: k.descending !== reverse }))
  const after = position === undefined ? 'true' : afterSql(ctx, order, position, reverse)
  const orderBy = (prefix: string): string => [
    // Missing values sort last; read backwards (a previous page) they come first.
    ...order.flatMap((k, i) => [...(k.nullable ? [`(${prefix}k${i}_v IS NULL) ${reverse ? 'DESC' : 'ASC'}`] : []), `${prefix}k${i}_v ${k.descending ? 'DESC' : 'ASC'}`]),
    `${prefix}id ${reverse ? 'DESC' : 'ASC'}`
  ].join(', ')
  const typedKeys = keys.map((k, i) => `, (${k.sql}) AS k${i}_v`).join('')
  const asText = keys.map((_, i) => `, k${i}_v::text AS k${i}`).join('')
  const limit = param(ctx, query.count + 1)
  // Sort values are computed once (k0_v …) and read back as text (k0 …) for the next cursor.
  // A sort key read from an index table is a subquery per row. Pulled up into the outer query,
  // PostgreSQL would run it once for ORDER BY and again for the cursor text; OFFSET 0 keeps the
  // inner SELECT whole, so each key is computed once per match. Column keys (last_updated, id)
  // stay pulled up, so the index order of (type, last_updated, id) still serves their pages.
  const sql = typeParam !== undefined
    ? `SELECT ${LIVE_VERSION_COLUMNS}${keys.map((_, i) => `, page.k${i}`).join('')}
       FROM (
         SELECT *${asText} FROM (
           SELECT m.id${typedKeys} FROM (SELECT DISTINCT id FROM (${nestedSelect(filter.sets, 'id')}) ids) m OFFSET 0
         ) matches WHERE ${after} ORDER BY ${orderBy('')} LIMIT ${limit}
       ) page
       JOIN resource r ON r.resource_type = ${typeParam} AND r.id = page.id AND NOT r.deleted
       ORDER BY ${orderBy('page.')}`
    : `SELECT *${asText} FROM (
       SELECT ${LIVE_VERSION_COLUMNS}${typedKeys}
       FROM resource r WHERE ${filter.where()}${keys.some(k => k.nullable) ? ' OFFSET 0' : ''}
     ) page WHERE ${after} ORDER BY ${orderBy('')} LIMIT ${limit}`
  const { rows } = await q.query<Record<string, unknown> & LiveVersionRow>(sql, ctx.params)
  const more = rows.length > query.count
  const page = rows.slice(0, query.count)
  if (reverse) page.reverse()
  const positionOf = (row: typeof rows[number] | undefined, direction: 'next' | 'prev'): PagePosition | undefined =>
    row === undefined ? undefined : { direction, id: row.id, keys: keys.map((_, i) => (row[`k${i}`] ?? null) as string | null) }
  const hasNext = reverse ? true : more
  const hasPrevious = reverse ? more : position !== undefined
  return {
    matches: page.map(liveVersionOf),
    next: hasNext && page.length > 0 ? positionOf(page.at(-1), 'next') : undefined,
    previous: hasPrevious && page.length > 0 ? positionOf(page[0], 'prev') : undefined
  }
}

/**
 * Up to `limit` live matches of each query (in no particular order), all in one statement: the
 * first look of a transaction's conditional interactions, one round trip for all of them.
 */
export async function matchesOfEach (
  q: Queryable, queries: readonly SearchQuery[], valueSets: SqlContext['valueSets'], limit: number, reach?: Reach
): Promise<StoredVersion[][]> {
  if (queries.length === 0) return []
  const ctx: SqlContext = { params: [], next: 0, valueSets, reach }
  const most = param(ctx, limit)
  const parts = queries.map((query, i) =>
    `(SELECT ${i} AS search, ${LIVE_VERSION_COLUMNS}
      FROM resource r WHERE ${filterParts(ctx, query).where()} LIMIT ${most})`)
  const { rows } = await q.query<LiveVersionRow & { search: number }>(parts.join(' UNION ALL '), ctx.params)
  const found: StoredVersion[][] = queries.map(() => [])
  for (const row of rows) {
    found[Number(row.search)]?.push(liveVersionOf(row))
  }
  return found
}

export async function countMatches (q: Queryable, query: SearchQuery, valueSets: SqlContext['valueSets'], estimate: boolean, reach?: Reach): Promise<number> {
  const ctx: SqlContext = { params: [], next: 0, valueSets, reach }
  const filter = filterParts(ctx, query)
  if (estimate) {
    const { rows } = await q.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) SELECT 1 FROM resource r WHERE ${filter.where()}`, ctx.params)
    const plan = rows[0]?.['QUERY PLAN']
    const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as Array<{ Plan: { 'Plan Rows': number } }>
    return Math.round(parsed[0]?.Plan['Plan Rows'] ?? 0)
  }
  // A tally counts every match; a restricted caller's count must leave out what it cannot see.
  const tallied = reach === undefined ? await tallyCount(q, query) : undefined
  if (tallied !== undefined) return tallied
  // Every condition is a set of index rows and the outermost holds only live resources: the ids
  // that pass them all are the matches, counted without reading a single resource row.
  const { rows } = filter.indexOnly
    ? await q.query<{ n: string }>(`SELECT count(DISTINCT id) AS n FROM (${nestedSelect(filter.sets, 'id')}) ids`, ctx.params)
    : await q.query<{ n: string }>(`SELECT count(*) AS n FROM resource r WHERE ${filter.where()}`, ctx.params)
  return Number(rows[0]?.n ?? 0)
}

interface FilterParts {
  /** The test of a resource row `r` (binds its parameters when called). */
  readonly where: () => string
  /** The conditions that are sets of index rows, nested into one test (live sets first). */
  readonly sets: readonly IdSet[]
  /** True when the sets are the whole filter and the outermost set holds only live resources. */
  readonly indexOnly: boolean
  /** True when a compound or pair index answers some of the conditions. */
  readonly derived: boolean
}

/** The test of a resource row `r` for the query, with its parameters. */
export function searchFilter (query: SearchQuery, valueSets: SqlContext['valueSets']): { where: string, params: unknown[] } {
  const ctx: SqlContext = { params: [], next: 0, valueSets }
  const where = filterSql(ctx, query)
  return { where, params: ctx.params }
}

function filterSql (ctx: SqlContext, query: SearchQuery): string {
  return filterParts(ctx, query).where()
}

function filterParts (ctx: SqlContext, query: SearchQuery): FilterParts {
  if (query.types.length !== 1) {
    const where = [
      `r.resource_type = ANY(${param(ctx, query.types)}::text[])`,
      'NOT r.deleted',
      ...query.conditions.map(condition => conditionSql(ctx, condition, 'r', query.types)),
      ...(ctx.reach === undefined ? [] : [reachTestAnyType(ctx, ctx.reach, 'read', query.types, 'r')])
    ].join(' AND ')
    return { where: () => where, sets: [], indexOnly: false, derived: false }
  }
  const type = query.types[0] as string
  const sets: IdSet[] = []
  const others: string[] = []
  // A compound index answers its conditions together; it goes first, as the likeliest driver.
  const compound = compoundPlan(ctx, query.conditions, type)
  if (compound !== undefined) sets.push(compound.set)
  // So does a pair index, for two of the conditions left.
  const pair = pairPlan(ctx, query.conditions.filter(c => compound?.absorbed.has(c) !== true), type)
  if (pair !== undefined) sets.push(pair.set)
  for (const condition of query.conditions) {
    if (compound?.absorbed.has(condition) === true || pair?.absorbed.has(condition) === true) continue
    const set = idSet(ctx, condition, type)
    if (set === undefined) others.push(conditionSql(ctx, condition, 'r', query.types))
    else sets.push(set)
  }
  // Bound after the conditions, as part of the same statement: out of reach is never a match.
  if (ctx.reach !== undefined) others.push(reachTest(ctx, ctx.reach, 'read', type, 'r.id'))
  // Stable: live sets first, so the outermost set can stand for the matches on its own.
  sets.sort((a, b) => Number(b.live) - Number(a.live))
  // Bound only when used: PostgreSQL cannot type a parameter the statement never mentions.
  // A single type is a plain equality, so the planner can walk the (type, last_updated, id) index in order.
  const where = (): string => [
    `r.resource_type = ${param(ctx, type)}`,
    'NOT r.deleted',
    ...(sets.length === 0 ? [] : [`r.id IN (${nestedSelect(sets)})`]),
    ...others
  ].join(' AND ')
  return { where, sets, indexOnly: others.length === 0 && sets[0]?.live === true, derived: compound !== undefined || pair !== undefined }
}

/**
 * The order of the page: _sort, or without it the id, except for a search by _lastUpdated, which
 * reads as a feed of changes in the order they were made. That order is also the one index
 * `resource_type_updated` serves: in id order the planner walked 475,091 Tasks to find the 491
 * changed since a time, as they are the newest and so hold the highest ids (1 s instead of 1 ms).
 */
function effectiveSort (query: SearchQuery): readonly SortKey[] {
  if (query.sort.length > 0 || !query.conditions.some(c => c.kind === 'last-updated')) return query.sort
  return [{ param: undefined, code: '_lastUpdated', descending: false }]
}

const RESOURCE_TYPE_KEY: KeySql = { sql: 'r.resource_type', kind: 'text', descending: false, nullable: false }

/**
 * The _sort keys; the id follows them as the final tie-break, and is the whole order without
 * _sort. An id order also keeps a walk through the pages steady while others write: a resource
 * updated mid-walk keeps its place, where in _lastUpdated order it would move and show up twice.
 * `owner` names the row whose index entries a key reads (the page's ids-first form has no `r`).
 */
function sortKeys (ctx: SqlContext, sort: readonly SortKey[], owner = { type: 'r.resource_type', id: 'r.id' }): KeySql[] {
  return sort.map(key => {
    if (key.code === '_id') return { sql: 'r.id', kind: 'text', descending: key.descending, nullable: false }
    if (key.code === '_lastUpdated') return { sql: 'r.last_updated', kind: 'timestamptz', descending: key.descending, nullable: false }
    const pick = key.descending ? 'max' : 'min'
    const owned = `WHERE i.resource_type = ${owner.type} AND i.resource_id = ${owner.id} AND ${key.param === undefined ? 'false' : codeTest(ctx, 'i', key.param)}`
    switch (key.param?.type) {
      case 'string': return keySql(`SELECT ${pick}(i.folded) FROM search_string i ${owned}`, 'text', key)
      case 'token': return keySql(`SELECT ${pick}(i.value) FROM search_token i ${owned}`, 'text', key)
      case 'uri': return keySql(`SELECT ${pick}(i.value) FROM search_uri i ${owned}`, 'text', key)
      case 'reference': return keySql(`SELECT ${pick}(coalesce(i.target_type || '/' || i.target_id, i.url)) FROM search_reference i ${owned}`, 'text', key)
      case 'date': return keySql(`SELECT ${key.descending ? 'max(i.high)' : 'min(i.low)'} FROM search_date i ${owned}`, 'timestamptz', key)
      case 'number': return keySql(`SELECT ${key.descending ? 'max(i.high)' : 'min(i.low)'} FROM search_number i ${owned}`, 'numeric', key)
      default: return keySql(`SELECT ${key.descending ? 'max(i.high)' : 'min(i.low)'} FROM search_quantity i ${owned}`, 'numeric', key)
    }
  })
}

const KEY_FORMATS: Record<SortKind, RegExp> = {
  timestamptz: /^(-?infinity|\d{4,}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?)?( BC)?)$/,
  numeric: /^(-?\d+(\.\d+)?|NaN)$/,
  text: /^[^\u0000]*$/
}

/**
 * A cursor comes back from the client: its values must have the shape this search's keys
 * produce, or the casts in SQL would fail. A tampered cursor is the client's error.
 */
function checkPosition (order: readonly KeySql[], position: PagePosition): void {
  const fits = position.keys.length === order.length &&
    order.every((key, i) => { const value = position.keys[i]; return value === null || value === undefined ? key.nullable : KEY_FORMATS[key.kind].test(value) }) &&
    KEY_FORMATS.text.test(position.id)
  if (!fits) throw new GatewayError('invalid', 'Search parameter "_cursor": is not a cursor this server issued for this search', { expression: '_cursor' })
}

function keySql (sql: string, kind: SortKind, key: SortKey): KeySql {
  return { sql, kind, descending: key.descending, nullable: true }
}

/**
 * Rows strictly after the position in the page order (missing values sort last). Non-null
 * column keys in one direction use a row comparison, which an index range scan can serve.
 */
function afterSql (ctx: SqlContext, order: readonly KeySql[], position: PagePosition, reverse: boolean): string {
  checkPosition(order, position)
  const idOp = reverse ? '<' : '>'
  const idParam = param(ctx, position.id)
  const allColumns = order.length > 0 && order.every(k => !k.nullable) && order.every(k => k.descending === order[0]?.descending) && (order[0]?.descending ?? false) === reverse
  if (allColumns) {
    const values = order.map((k, i) => `${param(ctx, position.keys[i])}::${k.kind}`)
    return `(${order.map((_, i) => `k${i}_v`).join(', ')}, id) ${idOp} (${values.join(', ')}, ${idParam})`
  }
  const build = (i: number): string => {
    const key = order[i]
    if (key === undefined) return `id ${idOp} ${idParam}`
    const value = position.keys[i] ?? null
    const column = `k${i}_v`
    if (value === null) {
      return reverse ? `(${column} IS NOT NULL OR (${column} IS NULL AND ${build(i + 1)}))` : `(${column} IS NULL AND ${build(i + 1)})`
    }
    const typed = `${param(ctx, value)}::${key.kind}`
    const beyond = `(${column} ${key.descending ? '<' : '>'} ${typed} OR (${column} = ${typed} AND ${build(i + 1)}))`
    if (!key.nullable) return beyond
    return reverse ? `(${column} IS NOT NULL AND ${beyond})` : `(${column} IS NULL OR ${beyond})`
  }
  return build(0)
}
