/**
 * SQL for search conditions over the index tables. Each condition is a set of index rows of a
 * constant type (`r.id IN (SELECT resource_id FROM search_… WHERE …)`); the positive sets of one
 * search nest inside each other, chains and _has nest the same way in the other direction, all
 * in one statement the planner can drive from any index.
 */
import { foldString } from '../fhir/search/normalize.js'
import { sqlInstant } from '../fhir/search/sql-instant.js'
import type { SearchParamDef } from '../fhir/search/registry.js'
import type { Condition, NumberValue, Prefix, QuantityValue, RangeValue, ReferenceValue, TokenValue } from '../fhir/search/query.js'
import { reachTest, reachTestAnyType, type Reach } from './reach.js'

export interface SqlContext {
  readonly params: unknown[]
  /** Alias counter for nested subqueries. */
  next: number
  /** Expanded ValueSets for :in / :not-in, by URL: system → codes (empty set = whole system). */
  readonly valueSets: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>
  /**
   * What the caller may see (src/auth/access-policy.ts); undefined for an unrestricted caller,
   * whose searches get no extra SQL at all. Chained targets and _has sources must be within it
   * too, or a search could test values of resources the caller cannot read.
   */
  readonly reach?: Reach | undefined
}

export function param (ctx: SqlContext, value: unknown): string {
  ctx.params.push(value)
  return `$${ctx.params.length}`
}

/**
 * The test that an index row (alias `a`) belongs to parameter `def`: its rows may be stored under
 * other parameters' codes (shared-storage.ts), and, across several types, differently per type.
 * `suffix` names a modifier's own rows (`:text`, `:of-type`, `:identifier`).
 */
export function codeTest (ctx: SqlContext, a: string, def: SearchParamDef, suffix = ''): string {
  const codesTest = (codes: readonly string[]): string => codes.length === 1
    ? `${a}.code = ${param(ctx, `${codes[0] ?? ''}${suffix}`)}`
    : `${a}.code = ANY(${param(ctx, codes.map(code => `${code}${suffix}`))}::text[])`
  if (def.storedAsByType === undefined) return codesTest(def.storedAs)
  return or([...def.storedAsByType].map(([type, codes]) => `(${a}.resource_type = ${param(ctx, type)} AND ${codesTest(codes)})`))
}

export function alias (ctx: SqlContext, prefix: string): string {
  ctx.next++
  return `${prefix}${ctx.next}`
}

/** Index rows selected by one condition: `SELECT … FROM table alias WHERE where`, or NOT that. */
interface IndexRowsTest { readonly table: string, readonly alias: string, readonly where: string, readonly negate: boolean }

/**
 * A set of resource ids of one type, as index rows: `SELECT column FROM from WHERE where`.
 * Sets of one search nest (each later set filters the earlier one's index rows), so the index
 * tables narrow the candidates before any `resource` row is read.
 */
export interface IdSet {
  readonly column: string
  readonly from: string
  readonly where: string
  /**
   * Every id selected is a live resource of the type: index rows exist only for the current
   * version of live resources (a delete removes them in the same statement), so such a set needs
   * no `resource` row to tell whether it matches.
   */
  readonly live: boolean
}

/**
 * The SQL test of one condition against the resource row `r` (columns resource_type, id), whose
 * type is one of `types`. Tests are written as `r.id IN (index rows of this type …)` with the
 * type as a constant, so the planner can start from the index on the searched value.
 */
export function conditionSql (ctx: SqlContext, condition: Condition, r: string, types: readonly string[]): string {
  if (types.length === 1) {
    const set = idSet(ctx, condition, types[0] as string)
    if (set !== undefined) return `${r}.id IN (${nestedSelect([set])})`
  }
  switch (condition.kind) {
    case 'id': {
      if (condition.values.length === 0) return condition.negate ? 'true' : 'false'
      const test = `${r}.id = ANY(${param(ctx, condition.values)}::text[])`
      return condition.negate ? `NOT (${test})` : test
    }
    case 'last-updated':
      return or(condition.values.map(v => dateTest(ctx, v, `${r}.last_updated`, `${r}.last_updated`)))
    case 'has': {
      const { x, where } = hasReferrers(ctx, condition)
      return `(${r}.resource_type, ${r}.id) IN (SELECT ${x}.target_type, ${x}.target_id FROM search_reference ${x} WHERE ${where} AND ${x}.target_type = ANY(${param(ctx, types)}::text[]))`
    }
    default: {
      const rows = indexRowsTest(ctx, condition, types)
      const exists = types.length === 1
        ? `${r}.id IN (SELECT ${rows.alias}.resource_id FROM ${rows.table} ${rows.alias} WHERE ${rows.alias}.resource_type = ${param(ctx, types[0])} AND ${rows.where})`
        : `(${r}.resource_type, ${r}.id) IN (SELECT ${rows.alias}.resource_type, ${rows.alias}.resource_id FROM ${rows.table} ${rows.alias} WHERE ${rows.alias}.resource_type = ANY(${param(ctx, types)}::text[]) AND ${rows.where})`
      return rows.negate ? `NOT (${exists})` : exists
    }
  }
}

/**
 * The condition as a set of ids of `type`, when it is a positive test over index rows (not
 * _id, _lastUpdated or a negation); undefined otherwise.
 */
export function idSet (ctx: SqlContext, condition: Condition, type: string): IdSet | undefined {
  switch (condition.kind) {
    case 'id': case 'last-updated': return undefined
    case 'has': {
      const { x, where } = hasReferrers(ctx, condition)
      // A reference may point at a resource that is deleted or was never written.
      return { column: `${x}.target_id`, from: `search_reference ${x}`, where: `${where} AND ${x}.target_type = ${param(ctx, type)}`, live: false }
    }
    default: {
      // Decided before anything is bound: a parameter the statement never uses cannot be typed.
      if (negated(condition)) return undefined
      const rows = indexRowsTest(ctx, condition, [type])
      return { column: `${rows.alias}.resource_id`, from: `${rows.table} ${rows.alias}`, where: `${rows.alias}.resource_type = ${param(ctx, type)} AND ${rows.where}`, live: true }
    }
  }
}

/**
 * One SELECT of the ids in every set: the first set's rows, each filtered by the next set's, so
 * `resource` is read only for ids that pass them all. The planner may drive from any of them.
 */
export function nestedSelect (sets: readonly IdSet[], as?: string): string {
  const [first, ...rest] = sets
  if (first === undefined) throw new Error('nestedSelect needs at least one set')
  const inner = rest.length === 0 ? '' : ` AND ${first.column} IN (${nestedSelect(rest)})`
  return `SELECT ${first.column}${as === undefined ? '' : ` AS ${as}`} FROM ${first.from} WHERE ${first.where}${inner}`
}

/** Ids of live resources of `type` that match `condition`, reading `resource` only when the index cannot tell. */
function liveIds (ctx: SqlContext, condition: Condition, alias: string, type: string): string {
  const set = idSet(ctx, condition, type)
  if (set?.live === true && ctx.reach === undefined) return nestedSelect([set])
  const test = set === undefined ? conditionSql(ctx, condition, alias, [type]) : `${alias}.id IN (${nestedSelect([set])})`
  const reach = ctx.reach === undefined ? '' : ` AND ${reachTest(ctx, ctx.reach, 'read', type, `${alias}.id`)}`
  return `SELECT ${alias}.id FROM resource ${alias} WHERE ${alias}.resource_type = ${param(ctx, type)} AND NOT ${alias}.deleted AND ${test}${reach}`
}

/** The references (alias x, in search_reference) from sources that match the _has condition. */
function hasReferrers (ctx: SqlContext, condition: Extract<Condition, { kind: 'has' }>): { x: string, where: string } {
  const x = alias(ctx, 'x')
  const source = alias(ctx, 'r')
  const ids = liveIds(ctx, condition.inner, source, condition.sourceType)
  return { x, where: `${x}.resource_type = ${param(ctx, condition.sourceType)} AND ${codeTest(ctx, x, condition.param)} AND ${x}.resource_id IN (${ids})` }
}

/** Whether indexRowsTest would answer a negated test (NOT EXISTS). */
function negated (condition: Exclude<Condition, { kind: 'id' | 'last-updated' | 'has' }>): boolean {
  switch (condition.kind) {
    case 'missing': return condition.missing
    case 'token': return condition.modifier === 'not'
    case 'token-in': return condition.negate
    default: return false
  }
}

/** Conditions over one index table: the rows that match (or, negated, must not exist). */
function indexRowsTest (ctx: SqlContext, condition: Exclude<Condition, { kind: 'id' | 'last-updated' | 'has' }>, types: readonly string[]): IndexRowsTest {
  const rows = (table: string, a: string, where: string, negate = false): IndexRowsTest => ({ table, alias: a, where, negate })
  switch (condition.kind) {
    case 'missing': {
      const t = alias(ctx, 'm')
      return rows(tableOf(condition.param.type), t, codeTest(ctx, t, condition.param), condition.missing)
    }
    case 'token': {
      const suffix = condition.modifier === 'of-type' || condition.modifier === 'identifier' ? `:${condition.modifier}` : ''
      const t = alias(ctx, 't')
      return rows('search_token', t, `${codeTest(ctx, t, condition.param, suffix)} AND ${or(condition.values.map(v => tokenTest(ctx, t, v)))}`, condition.modifier === 'not')
    }
    case 'token-text': {
      const t = alias(ctx, 't')
      const tests = condition.values.map(v => `${t}.value LIKE ${param(ctx, likePrefix(foldString(v)))}`)
      return rows('search_token', t, `${codeTest(ctx, t, condition.param, ':text')} AND ${or(tests)}`)
    }
    case 'token-in': {
      const expansion = ctx.valueSets.get(condition.valueSet) ?? new Map()
      const t = alias(ctx, 't')
      const tests = [...expansion.entries()].map(([system, codes]) => codes.size === 0
        ? `${t}.system = ${param(ctx, system)}`
        : `(${t}.system = ${param(ctx, system)} AND ${t}.value = ANY(${param(ctx, [...codes])}::text[]))`)
      return rows('search_token', t, `${codeTest(ctx, t, condition.param)} AND ${or(tests)}`, condition.negate)
    }
    case 'string': {
      const s = alias(ctx, 's')
      const tests = condition.values.map(v => condition.modifier === 'exact'
        ? `${s}.exact = ${param(ctx, v)}`
        : `${s}.folded LIKE ${param(ctx, condition.modifier === 'contains' ? `%${escapeLike(foldString(v))}%` : likePrefix(foldString(v)))}`)
      return rows('search_string', s, `${codeTest(ctx, s, condition.param)} AND ${or(tests)}`)
    }
    case 'reference': {
      const x = alias(ctx, 'x')
      const tests = condition.values.map(v => referenceTest(ctx, x, v))
      return rows('search_reference', x, `${codeTest(ctx, x, condition.param)} AND ${or(tests)}`)
    }
    case 'date': {
      const d = alias(ctx, 'd')
      const tests = condition.values.map(v => dateTest(ctx, v, `${d}.low`, `${d}.high`))
      return rows('search_date', d, `${codeTest(ctx, d, condition.param)} AND ${or(tests)}`)
    }
    case 'number': {
      const n = alias(ctx, 'n')
      const tests = condition.values.map(v => numberTest(ctx, v, `${n}.low`, `${n}.high`))
      return rows('search_number', n, `${codeTest(ctx, n, condition.param)} AND ${or(tests)}`)
    }
    case 'quantity': {
      const q = alias(ctx, 'q')
      const tests = condition.values.map(v => quantityTest(ctx, v, q, ''))
      return rows('search_quantity', q, `${codeTest(ctx, q, condition.param)} AND ${or(tests)}`)
    }
    case 'uri': {
      const u = alias(ctx, 'u')
      const tests = condition.values.map(v => condition.modifier === 'below'
        ? `${u}.value LIKE ${param(ctx, likePrefix(v))}`
        : condition.modifier === 'above'
          ? `${param(ctx, v)} LIKE (replace(replace(replace(${u}.value, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')`
          : `${u}.value = ${param(ctx, v)}`)
      return rows('search_uri', u, `${codeTest(ctx, u, condition.param)} AND ${or(tests)}`)
    }
    case 'composite': {
      const c = alias(ctx, 'c')
      const tests = condition.values.map(({ token, second }) => {
        const first = tokenTest(ctx, c, token)
        switch (second.kind) {
          case 'quantity': return `(${first} AND ${quantityTest(ctx, second.value, c, 'q_')})`
          case 'date': return `(${first} AND ${dateTest(ctx, second.value, `${c}.d_low`, `${c}.d_high`)})`
          case 'string': return `(${first} AND ${c}.s_folded LIKE ${param(ctx, likePrefix(foldString(second.value)))})`
          case 'token': return `(${first} AND ${tokenTest(ctx, c, second.value, 'c_')})`
        }
        return 'false'
      })
      return rows('search_composite', c, `${codeTest(ctx, c, condition.param)} AND ${or(tests)}`)
    }
    case 'chain': {
      const x = alias(ctx, 'x')
      const target = alias(ctx, 'r')
      const targets = condition.targetTypes
      const pointsAt = targets.length === 1
        ? `${x}.target_type = ${param(ctx, targets[0])} AND ${x}.target_id IN (${liveIds(ctx, condition.inner, target, targets[0] as string)})`
        : `(${x}.target_type, ${x}.target_id) IN (SELECT ${target}.resource_type, ${target}.id FROM resource ${target} WHERE ${target}.resource_type = ANY(${param(ctx, targets)}::text[]) AND NOT ${target}.deleted AND ${conditionSql(ctx, condition.inner, target, targets)}${ctx.reach === undefined ? '' : ` AND ${reachTestAnyType(ctx, ctx.reach, 'read', targets, target)}`})`
      return rows('search_reference', x, `${codeTest(ctx, x, condition.param)} AND ${pointsAt}`)
    }
  }
}

export function or (tests: readonly string[]): string {
  if (tests.length === 0) return 'false'
  return tests.length === 1 ? tests[0] as string : `(${tests.join(' OR ')})`
}

export function tokenTest (ctx: SqlContext, t: string, value: TokenValue, prefix = ''): string {
  const tests: string[] = []
  if (value.system === null) tests.push(`${t}.${prefix}system IS NULL`)
  else if (value.system !== undefined) tests.push(`${t}.${prefix}system = ${param(ctx, value.system)}`)
  if (value.code !== undefined) tests.push(`${t}.${prefix}value = ${param(ctx, value.code)}`)
  return tests.length === 1 ? tests[0] as string : `(${tests.join(' AND ')})`
}

/** A reference value against a row's target (`url`, or `target_id` and `target_type`) columns. */
export function referenceTest (ctx: SqlContext, x: string, value: ReferenceValue): string {
  if (value.url !== undefined) return `${x}.url = ${param(ctx, value.url)}`
  const idTest = `${x}.target_id = ${param(ctx, value.id)}`
  return value.type === undefined ? idTest : `(${idTest} AND ${x}.target_type = ${param(ctx, value.type)})`
}

/**
 * Date prefixes with the precision rules of https://hl7.org/fhir/R4/search.html#prefix: the
 * search value is the range [vl, vh] its precision covers, the target the range [tl, th].
 */
export function dateTest (ctx: SqlContext, value: RangeValue, tl: string, th: string): string {
  // Bound only when used: PostgreSQL cannot type a parameter the statement never mentions.
  const vl = lazy(() => `${param(ctx, value.low)}::timestamptz`)
  const vh = lazy(() => `${param(ctx, value.high)}::timestamptz`)
  return rangeTest(value.prefix, tl, th, vl, vh, () => {
    // ap: within 10% of the distance from now, at least a day, on either side.
    const margin = Math.max(86_400_000, 0.1 * Math.abs(Date.now() - value.lowMs))
    return [`${param(ctx, sqlInstant(new Date(value.lowMs - margin)))}::timestamptz`, `${param(ctx, sqlInstant(new Date(value.highMs + margin)))}::timestamptz`]
  })
}

function numberTest (ctx: SqlContext, value: NumberValue, tl: string, th: string): string {
  const exact = (): string => `${param(ctx, value.value)}::numeric`
  switch (value.prefix) {
    // eq and ne use the implicit precision of the search value; the others compare exactly.
    case 'eq': return `(${tl} >= ${param(ctx, value.low)}::numeric AND ${th} < ${param(ctx, value.high)}::numeric)`
    case 'ne': return `NOT (${tl} >= ${param(ctx, value.low)}::numeric AND ${th} < ${param(ctx, value.high)}::numeric)`
    case 'gt': case 'sa': return `${th} > ${exact()}`
    case 'lt': case 'eb': return `${tl} < ${exact()}`
    case 'ge': return `${th} >= ${exact()}`
    case 'le': return `${tl} <= ${exact()}`
    case 'ap': {
      const margin = Math.abs(value.value) * 0.1
      return `(${th} >= ${param(ctx, value.value - margin)}::numeric AND ${tl} <= ${param(ctx, value.value + margin)}::numeric)`
    }
  }
}

export function quantityTest (ctx: SqlContext, value: QuantityValue, q: string, prefix: string): string {
  const tests = [numberTest(ctx, value, `${q}.${prefix}low`, `${q}.${prefix}high`)]
  if (value.system !== undefined) tests.push(`${q}.${prefix}system = ${param(ctx, value.system)}`)
  if (value.unit !== undefined) tests.push(`${q}.${prefix}unit = ${param(ctx, value.unit)}`)
  return `(${tests.join(' AND ')})`
}

function rangeTest (prefix: Prefix, tl: string, th: string, vl: () => string, vh: () => string, approximate: () => [string, string]): string {
  // Every row has low <= high, so `low <= vh` adds nothing to the test; it gives an index on
  // (…, low, high) an upper bound, so a scan for one day stops at that day instead of reading
  // every later row and filtering them by high, and lets the planner estimate the match.
  const within = (): string => `(${tl} >= ${vl()} AND ${tl} <= ${vh()} AND ${th} <= ${vh()})`
  switch (prefix) {
    case 'eq': return within()
    case 'ne': return `NOT ${within()}`
    case 'gt': return `${th} > ${vh()}`
    case 'lt': return `${tl} < ${vl()}`
    case 'ge': return `(${th} > ${vh()} OR ${within()})`
    case 'le': return `(${tl} < ${vl()} OR ${within()})`
    case 'sa': return `${tl} > ${vh()}`
    case 'eb': return `${th} < ${vl()}`
    case 'ap': {
      const [low, high] = approximate()
      return `(${tl} <= ${high} AND ${th} >= ${low})`
    }
  }
}

/** Binds on first use and reuses the same placeholder after. */
function lazy (bind: () => string): () => string {
  let placeholder: string | undefined
  return () => {
    placeholder ??= bind()
    return placeholder
  }
}

function tableOf (type: string): string {
  return type === 'composite' ? 'search_composite' : `search_${type}`
}

function escapeLike (text: string): string {
  return text.replace(/[\\%_]/g, c => `\\${c}`)
}

function likePrefix (text: string): string {
  return `${escapeLike(text)}%`
}
