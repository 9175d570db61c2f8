/**
 * Answers a reference condition and a token condition of one search from a pair index
 * (pair-index.ts) as one set of ids, when a pair combines them. Exact: a resource's pair rows are
 * every combination of its reference rows (by id) and its token rows, so some pair row passes
 * both tests exactly when some reference row passes one and some token row the other.
 */
import type { Condition } from '../fhir/search/query.js'
import { PAIR_INDEXES } from './pair-index.js'
import type { CompoundPlan } from './search-compound.js'
import { storedAlone } from './search-compound.js'
import { alias, or, param, referenceTest, tokenTest, type SqlContext } from './search-conditions.js'

type ReferenceCondition = Extract<Condition, { kind: 'reference' }>
type TokenCondition = Extract<Condition, { kind: 'token' }>

/** The pair set for two of `conditions` on `type`, or undefined when no pair fits them. */
export function pairPlan (ctx: SqlContext, conditions: readonly Condition[], type: string): CompoundPlan | undefined {
  for (const pair of PAIR_INDEXES) {
    if (pair.type !== type) continue
    // Pairs hold references by id; a value given as an absolute URL is tested as usual.
    const reference = conditions.find((c): c is ReferenceCondition => c.kind === 'reference' && storedAlone(c.param, pair.reference) &&
      c.values.every(v => v.url === undefined && v.id !== undefined))
    const token = conditions.find((c): c is TokenCondition => c.kind === 'token' && c.modifier === 'none' && storedAlone(c.param, pair.token))
    if (reference === undefined || token === undefined) continue
    const p = alias(ctx, 'p')
    const where = [
      `${p}.resource_type = ${param(ctx, type)}`,
      `${p}.name = ${param(ctx, pair.name)}`,
      or(reference.values.map(v => referenceTest(ctx, p, v))),
      or(token.values.map(v => tokenTest(ctx, p, v)))
    ].join(' AND ')
    return { set: { column: `${p}.resource_id`, from: `search_pair ${p}`, where, live: true }, absorbed: new Set<Condition>([reference, token]) }
  }
  return undefined
}
