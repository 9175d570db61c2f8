/**
 * Answers a token condition, every date condition and a quantity condition of one search from a
 * compound index (compound-index.ts) as one set of ids, when a compound combines them. Exact: a
 * resource with one date row is tested against that row, which every date condition must then
 * hold for anyway; a resource with several is re-tested through the ordinary index tables.
 */
import type { Condition, RangeValue } from '../fhir/search/query.js'
import type { SearchParamDef } from '../fhir/search/registry.js'
import { sqlInstant } from '../fhir/search/sql-instant.js'
import { COMPOUND_INDEXES, DAY_MS, type CompoundIndex } from './compound-index.js'
import { alias, dateTest, idSet, nestedSelect, or, param, quantityTest, tokenTest, type IdSet, type SqlContext } from './search-conditions.js'

type TokenCondition = Extract<Condition, { kind: 'token' }>
type DateCondition = Extract<Condition, { kind: 'date' }>
type QuantityCondition = Extract<Condition, { kind: 'quantity' }>

export interface CompoundPlan {
  readonly set: IdSet
  /** The conditions the set stands for; the search tests the rest as usual. */
  readonly absorbed: ReadonlySet<Condition>
}

/** The compound set for `conditions` on `type`, or undefined when no compound fits them. */
export function compoundPlan (ctx: SqlContext, conditions: readonly Condition[], type: string): CompoundPlan | undefined {
  for (const compound of COMPOUND_INDEXES) {
    if (compound.type !== type) continue
    const token = conditions.find((c): c is TokenCondition => c.kind === 'token' && c.modifier === 'none' && storedAlone(c.param, compound.token))
    const dates = conditions.filter((c): c is DateCondition => c.kind === 'date' && storedAlone(c.param, compound.date))
    if (token === undefined || dates.length === 0) continue
    // The compound holds values, not units: a value with a unit or system is tested as usual.
    const quantity = compound.quantity === undefined
      ? undefined
      : conditions.find((c): c is QuantityCondition => c.kind === 'quantity' && storedAlone(c.param, compound.quantity) &&
        c.values.every(v => v.system === undefined && v.unit === undefined))
    const absorbed = [token, ...dates, ...(quantity === undefined ? [] : [quantity])]
    return { set: compoundSet(ctx, compound, type, token, dates, quantity, absorbed), absorbed: new Set(absorbed) }
  }
  return undefined
}

/**
 * A compound is built from the rows stored under its parameters' own codes, so it stands only
 * for a parameter that is `code` and keeps its rows under that code alone (shared-storage.ts).
 */
export function storedAlone (def: SearchParamDef, code: string | undefined): boolean {
  return def.code === code && def.storedAsByType === undefined && def.storedAs.length === 1 && def.storedAs[0] === code
}

function compoundSet (
  ctx: SqlContext, compound: CompoundIndex, type: string,
  token: TokenCondition, dates: readonly DateCondition[], quantity: QuantityCondition | undefined, absorbed: readonly Condition[]
): IdSet {
  const rowsOf = (a: string, kind: string): string => `${a}.resource_type = ${param(ctx, type)} AND ${a}.name = ${param(ctx, compound.name)} AND ${kind}`
  const holds = (a: string): string => [
    or(token.values.map(v => tokenTest(ctx, a, v))),
    ...dates.map(d => or(d.values.map(v => dateTest(ctx, v, `${a}.d_low`, `${a}.d_high`)))),
    ...(quantity === undefined ? [] : [or(quantity.values.map(v => quantityTest(ctx, v, a, 'q_')))])
  ].join(' AND ')
  // The planner needs the start's range spelled out to scan it: the tests above imply it for a
  // point, but not in a form an index can use.
  const starts = startRange(dates)
  const lowest = starts.lowest === undefined ? undefined : param(ctx, sqlInstant(new Date(starts.lowest - 1)))
  const highest = starts.highest === undefined ? undefined : param(ctx, sqlInstant(new Date(starts.highest + 1)))
  const startWithin = (a: string): string[] => [
    ...(lowest === undefined ? [] : [`${a}.d_low >= ${lowest}::timestamptz`]),
    ...(highest === undefined ? [] : [`${a}.d_low <= ${highest}::timestamptz`])
  ]
  const p = alias(ctx, 'c')
  const s = alias(ctx, 'c')
  const m = alias(ctx, 'c')
  const points = `SELECT ${p}.resource_id FROM search_compound ${p} WHERE ${rowsOf(p, `${p}.point`)} AND ${[holds(p), ...startWithin(p)].join(' AND ')}`
  const spans = `SELECT ${s}.resource_id FROM search_compound ${s} WHERE ${rowsOf(s, `${s}.single AND NOT ${s}.point`)} AND ${holds(s)}`
  const ordinary = absorbed.map(c => idSet(ctx, c, type)).filter((set): set is IdSet => set !== undefined)
  const several = `SELECT ${m}.resource_id FROM search_compound ${m} WHERE ${rowsOf(m, `NOT ${m}.single`)} AND ${m}.resource_id IN (${nestedSelect(ordinary)})`
  const u = alias(ctx, 'u')
  return { column: `${u}.resource_id`, from: `(${points} UNION ALL ${spans} UNION ALL ${several}) ${u}`, where: 'true', live: true }
}

/**
 * Bounds on a point's start (in ms) that every date condition implies: a point ends at most a
 * day after it starts. A condition with several values bounds a side only if each value does.
 */
function startRange (dates: readonly DateCondition[]): { lowest?: number, highest?: number } {
  let lowest: number | undefined
  let highest: number | undefined
  for (const condition of dates) {
    const bounds = condition.values.map(startBounds)
    if (bounds.every(b => b.lowest !== undefined)) {
      const low = Math.min(...bounds.map(b => b.lowest as number))
      lowest = lowest === undefined ? low : Math.max(lowest, low)
    }
    if (bounds.every(b => b.highest !== undefined)) {
      const high = Math.max(...bounds.map(b => b.highest as number))
      highest = highest === undefined ? high : Math.min(highest, high)
    }
  }
  return { ...(lowest === undefined ? {} : { lowest }), ...(highest === undefined ? {} : { highest }) }
}

/** What one value's test (search-conditions.ts rangeTest) implies for a point's start. */
function startBounds (value: RangeValue): { lowest?: number, highest?: number } {
  switch (value.prefix) {
    case 'eq': return { lowest: value.lowMs, highest: value.highMs }
    case 'gt': return { lowest: value.highMs - DAY_MS }
    case 'ge': return { lowest: value.lowMs - DAY_MS }
    case 'sa': return { lowest: value.highMs }
    case 'lt': case 'eb': return { highest: value.lowMs }
    case 'le': return { highest: value.highMs }
    case 'ne': case 'ap': return {}
  }
}
