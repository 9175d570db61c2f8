/**
 * Index rows shared between search parameters. Several R4 parameters are unions of others on the
 * same type (Observation `combo-code` is `code | component-code`), and profiles may define one
 * again under another name (our `instrument` is `Observation.code | Observation.component.code`).
 * Writing each of them its own rows would store the same values three or four times: for an
 * outcome Observation that was 14 of its 35 token rows. Instead each distinct expression part is
 * indexed once, under one parameter's code, and a parameter made of parts indexed elsewhere is
 * searched through those codes. Answers cannot change: a part yields the same rows whichever
 * parameter evaluates it, because extraction reads only the parameter type and the part.
 */
import type { ExpressionPart, SearchParamType } from './registry.js'

/** The fields of a parameter that decide its index rows. */
export interface StorageCandidate {
  readonly code: string
  readonly type: SearchParamType
  /** An R4 standard parameter, not one added under profiles/. */
  readonly standard: boolean
  readonly expression: readonly ExpressionPart[]
  /** For composites: the components' types and paths, which shape the rows too. */
  readonly componentsKey: string
}

export interface Storage {
  /** The codes whose index rows hold this parameter's values, its own first when it has rows. */
  readonly storedAs: readonly string[]
  /** The parts this parameter indexes under its own code; the rest are indexed by others. */
  readonly indexed: readonly ExpressionPart[]
}

/**
 * Decides, for one resource type's parameters, who indexes what. Parameters are taken fewest
 * parts first (then by code); each is searched through the earlier ones whose own rows hold only
 * parts it has too, and indexes whatever is left under its own code. Only the standard R4
 * parameters lend their rows: a SearchParameter added under profiles/ may borrow but never lend,
 * so adding one can never move the rows of a parameter that other code names (the access policy,
 * the compound indexes).
 */
export function planSharedStorage (candidates: readonly StorageCandidate[]): ReadonlyMap<string, Storage> {
  const ordered = candidates
    .filter(c => c.expression.length > 0)
    .map(c => ({ candidate: c, keys: c.expression.map(part => partKey(c, part)) }))
    .sort((a, b) => Number(b.candidate.standard) - Number(a.candidate.standard) || a.keys.length - b.keys.length ||
      (a.candidate.code < b.candidate.code ? -1 : a.candidate.code > b.candidate.code ? 1 : 0))
  const lenders: Array<{ readonly code: string, readonly keys: ReadonlySet<string> }> = []
  const plans = new Map<string, Storage>()
  for (const { candidate, keys } of ordered) {
    const remaining = new Set(keys)
    const borrowed: string[] = []
    for (const lender of lenders) {
      if (![...lender.keys].every(key => remaining.has(key))) continue
      borrowed.push(lender.code)
      for (const key of lender.keys) remaining.delete(key)
    }
    const indexed = candidate.expression.filter((_, i) => remaining.has(keys[i] as string))
    if (indexed.length > 0 && candidate.standard) lenders.push({ code: candidate.code, keys: remaining })
    plans.set(candidate.code, { storedAs: indexed.length > 0 ? [candidate.code, ...borrowed] : borrowed, indexed })
  }
  return plans
}

/** Two parts with the same key give the same rows. */
function partKey (candidate: StorageCandidate, part: ExpressionPart): string {
  return `${candidate.type} ${part.text} ${part.resolvesTo ?? ''} ${candidate.componentsKey}`
}
