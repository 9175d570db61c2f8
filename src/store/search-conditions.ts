/**
 * SQL for search conditions over the index tables. Each condition becomes an EXISTS test
 * correlated to the resource alias it filters, so conditions compose by AND, chains nest and
 * _has reverses the direction, all in one statement the planner can drive from any index.
 */
import { foldString } from '../fhir/search/normalize.js'
import { sqlInstant } from '../fhir/search/sql-instant.js'
import type { Condition, NumberValue, Prefix, QuantityValue, RangeValue, TokenValue } from '../fhir/search/query.js'

export interface SqlContext {
  readonly params: unknown[]
  /** Alias counter for nested subqueries. */
  next: number
  /** Expanded ValueSets for :in / :not-in, by URL: system → codes (empty set = whole system). */
  readonly valueSets: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>
}

export function param (ctx: SqlContext, value: unknown): string {
  ctx.params.push(value)
  return `$${ctx.params.length}`
}

function alias (ctx: SqlContext, prefix: string): string {
  ctx.next++
  return `${prefix}${ctx.next}`
}

/**
 * The SQL test of one condition against the resource row `r` (columns resource_type, id), whose
 * type is one of `types`. Tests are written as `r.id IN (index rows of this type …)` with the
 * type as a constant, so the planner can start from the index on the searched value.
 */
export function conditionSql (ctx: SqlContext, condition: Condition, r: string, types: readonly string[]): string {
  switch (condition.kind) {
    case 'id': {
      if (condition.values.length === 0) return condition.negate ? 'true' : 'false'
      const test = `${r}.id = ANY(${param(ctx, condition.values)}::text[])`
      return condition.negate ? `NOT (${test})` : test
    }
    case 'last-updated':
      return or(condition.values.map(v => dateTest(ctx, v, `${r}.last_updated`, `${r}.last_updated`)))
    case 'missing': {
      const table = tableOf(condition.param.type)
      const t = alias(ctx, 'm')
      const exists = member(ctx, r, types, table, t, `${t}.code = ${param(ctx, condition.param.code)}`)
      return condition.missing ? `NOT (${exists})` : exists
    }
    case 'token': {
      const code = condition.modifier === 'of-type' || condition.modifier === 'identifier' ? `${condition.param.code}:${condition.modifier}` : condition.param.code
      const t = alias(ctx, 't')
      const exists = member(ctx, r, types, 'search_token', t, `${t}.code = ${param(ctx, code)} AND ${or(condition.values.map(v => tokenTest(ctx, t, v)))}`)
      return condition.modifier === 'not' ? `NOT (${exists})` : exists
    }
    case 'token-text': {
      const t = alias(ctx, 't')
      const tests = condition.values.map(v => `${t}.value LIKE ${param(ctx, likePrefix(foldString(v)))}`)
      return member(ctx, r, types, 'search_token', t, `${t}.code = ${param(ctx, `${condition.param.code}:text`)} AND ${or(tests)}`)
    }
    case 'token-in': {
      const expansion = ctx.valueSets.get(condition.valueSet) ?? new Map()
      const t = alias(ctx, 't')
      const tests = [...expansion.entries()].map(([system, codes]) => codes.size === 0
        ? `${t}.system = ${param(ctx, system)}`
        : `(${t}.system = ${param(ctx, system)} AND ${t}.value = ANY(${param(ctx, [...codes])}::text[]))`)
      const exists = member(ctx, r, types, 'search_token', t, `${t}.code = ${param(ctx, condition.param.code)} AND ${or(tests)}`)
      return condition.negate ? `NOT (${exists})` : exists
    }
    case 'string': {
      const s = alias(ctx, 's')
      const tests = condition.values.map(v => condition.modifier === 'exact'
        ? `${s}.exact = ${param(ctx, v)}`
        : `${s}.folded LIKE ${param(ctx, condition.modifier === 'contains' ? `%${escapeLike(foldString(v))}%` : likePrefix(foldString(v)))}`)
      return member(ctx, r, types, 'search_string', s, `${s}.code = ${param(ctx, condition.param.code)} AND ${or(tests)}`)
    }
    case 'reference': {
      const x = alias(ctx, 'x')
      const tests = condition.values.map(v => {
        if (v.url !== undefined) return `${x}.url = ${param(ctx, v.url)}`
        const idTest = `${x}.target_id = ${param(ctx, v.id)}`
        return v.type === undefined ? idTest : `(${idTest} AND ${x}.target_type = ${param(ctx, v.type)})`
      })
      return member(ctx, r, types, 'search_reference', x, `${x}.code = ${param(ctx, condition.param.code)} AND ${or(tests)}`)
    }
    case 'date': {
      const d = alias(ctx, 'd')
      const tests = condition.values.map(v => dateTest(ctx, v, `${d}.low`, `${d}.high`))
      return member(ctx, r, types, 'search_date', d, `${d}.code = ${param(ctx, condition.param.code)} AND ${or(tests)}`)
    }
    case 'number': {
      const n = alias(ctx, 'n')
      const tests = condition.values.map(v => numberTest(ctx, v, `${n}.low`, `${n}.high`))
      return member(ctx, r, types, 'search_number', n, `${n}.code = ${param(ctx, condition.param.code)} AND ${or(tests)}`)
    }
    case 'quantity': {
      const q = alias(ctx, 'q')
      const tests = condition.values.map(v => quantityTest(ctx, v, q, ''))
      return member(ctx, r, types, 'search_quantity', q, `${q}.code = ${param(ctx, condition.param.code)} AND ${or(tests)}`)
    }
    case 'uri': {
      const u = alias(ctx, 'u')
      const tests = condition.values.map(v => condition.modifier === 'below'
        ? `${u}.value LIKE ${param(ctx, likePrefix(v))}`
        : condition.modifier === 'above'
          ? `${param(ctx, v)} LIKE (replace(replace(replace(${u}.value, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')`
          : `${u}.value = ${param(ctx, v)}`)
      return member(ctx, r, types, 'search_uri', u, `${u}.code = ${param(ctx, condition.param.code)} AND ${or(tests)}`)
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
      return member(ctx, r, types, 'search_composite', c, `${c}.code = ${param(ctx, condition.param.code)} AND ${or(tests)}`)
    }
    case 'chain': {
      const x = alias(ctx, 'x')
      const target = alias(ctx, 'r')
      const targets = condition.targetTypes
      const inner = conditionSql(ctx, condition.inner, target, targets)
      const pointsAt = targets.length === 1
        ? `${x}.target_type = ${param(ctx, targets[0])} AND ${x}.target_id IN (SELECT ${target}.id FROM resource ${target} WHERE ${target}.resource_type = ${param(ctx, targets[0])} AND NOT ${target}.deleted AND ${inner})`
        : `(${x}.target_type, ${x}.target_id) IN (SELECT ${target}.resource_type, ${target}.id FROM resource ${target} WHERE ${target}.resource_type = ANY(${param(ctx, targets)}::text[]) AND NOT ${target}.deleted AND ${inner})`
      return member(ctx, r, types, 'search_reference', x, `${x}.code = ${param(ctx, condition.param.code)} AND ${pointsAt}`)
    }
    case 'has': {
      const x = alias(ctx, 'x')
      const source = alias(ctx, 'r')
      const sourceType = param(ctx, condition.sourceType)
      const inner = conditionSql(ctx, condition.inner, source, [condition.sourceType])
      const referrers = `FROM search_reference ${x} WHERE ${x}.resource_type = ${sourceType} AND ${x}.code = ${param(ctx, condition.param.code)}
          AND ${x}.resource_id IN (SELECT ${source}.id FROM resource ${source} WHERE ${source}.resource_type = ${sourceType} AND NOT ${source}.deleted AND ${inner})`
      return types.length === 1
        ? `${r}.id IN (SELECT ${x}.target_id ${referrers} AND ${x}.target_type = ${param(ctx, types[0])})`
        : `(${r}.resource_type, ${r}.id) IN (SELECT ${x}.target_type, ${x}.target_id ${referrers})`
    }
  }
}

/**
 * `r` is among the resources (of `types`) that have index rows in `table` matching `where`.
 * The type is a constant, not a correlation, so the index on the value can drive the search.
 */
function member (ctx: SqlContext, r: string, types: readonly string[], table: string, t: string, where: string): string {
  return types.length === 1
    ? `${r}.id IN (SELECT ${t}.resource_id FROM ${table} ${t} WHERE ${t}.resource_type = ${param(ctx, types[0])} AND ${where})`
    : `(${r}.resource_type, ${r}.id) IN (SELECT ${t}.resource_type, ${t}.resource_id FROM ${table} ${t} WHERE ${t}.resource_type = ANY(${param(ctx, types)}::text[]) AND ${where})`
}

function or (tests: readonly string[]): string {
  if (tests.length === 0) return 'false'
  return tests.length === 1 ? tests[0] as string : `(${tests.join(' OR ')})`
}

function tokenTest (ctx: SqlContext, t: string, value: TokenValue, prefix = ''): string {
  const tests: string[] = []
  if (value.system === null) tests.push(`${t}.${prefix}system IS NULL`)
  else if (value.system !== undefined) tests.push(`${t}.${prefix}system = ${param(ctx, value.system)}`)
  if (value.code !== undefined) tests.push(`${t}.${prefix}value = ${param(ctx, value.code)}`)
  return tests.length === 1 ? tests[0] as string : `(${tests.join(' AND ')})`
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

function quantityTest (ctx: SqlContext, value: QuantityValue, q: string, prefix: string): string {
  const tests = [numberTest(ctx, value, `${q}.${prefix}low`, `${q}.${prefix}high`)]
  if (value.system !== undefined) tests.push(`${q}.${prefix}system = ${param(ctx, value.system)}`)
  if (value.unit !== undefined) tests.push(`${q}.${prefix}unit = ${param(ctx, value.unit)}`)
  return `(${tests.join(' AND ')})`
}

function rangeTest (prefix: Prefix, tl: string, th: string, vl: () => string, vh: () => string, approximate: () => [string, string]): string {
  const within = (): string => `(${tl} >= ${vl()} AND ${th} <= ${vh()})`
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
