/**
 * Expands the ValueSets that :in / :not-in name into system → codes (an empty set stands for a
 * whole code system). Uses ValueSet.expansion when present, otherwise compose.include of
 * enumerated concepts or whole systems; filters and imports are refused rather than guessed.
 */
import type { ValueSet } from '@medplum/fhirtypes'
import type { Queryable } from '../../store/database.js'
import { findValueSetJson } from '../../store/value-sets.js'
import { invalid } from './parse-values.js'
import type { Condition } from './query.js'

export type Expansion = ReadonlyMap<string, ReadonlySet<string>>

export async function expandValueSets (q: Queryable, conditions: readonly Condition[]): Promise<Map<string, Expansion>> {
  const expansions = new Map<string, Expansion>()
  for (const [url, name] of valueSetUrls(conditions)) {
    const json = await findValueSetJson(q, url)
    if (json === undefined) throw invalid(name, `ValueSet ${url} is not held by this server`)
    expansions.set(url, expand(JSON.parse(json) as ValueSet, url, name))
  }
  return expansions
}

function expand (valueSet: ValueSet, url: string, name: string): Expansion {
  const result = new Map<string, Set<string>>()
  const add = (system: string | undefined, code: string | undefined): void => {
    if (system === undefined) return
    const codes = result.get(system) ?? new Set<string>()
    if (code !== undefined) codes.add(code)
    result.set(system, codes)
  }
  if (valueSet.expansion?.contains !== undefined) {
    const walk = (items: NonNullable<ValueSet['expansion']>['contains']): void => {
      for (const item of items ?? []) {
        add(item.system, item.code)
        walk(item.contains)
      }
    }
    walk(valueSet.expansion.contains)
    return result
  }
  for (const include of valueSet.compose?.include ?? []) {
    if (include.filter !== undefined || include.valueSet !== undefined) throw invalid(name, `ValueSet ${url} uses filters or imports, which this server does not expand`)
    if (include.concept === undefined) add(include.system, undefined)
    for (const concept of include.concept ?? []) add(include.system, concept.code)
  }
  return result
}

/** ValueSet URLs named by :in / :not-in, with the parameter that named each. */
function valueSetUrls (conditions: readonly Condition[]): Map<string, string> {
  const urls = new Map<string, string>()
  const visit = (condition: Condition): void => {
    if (condition.kind === 'token-in') urls.set(condition.valueSet, `${condition.param.code}:${condition.negate ? 'not-in' : 'in'}`)
    if (condition.kind === 'chain' || condition.kind === 'has') visit(condition.inner)
  }
  conditions.forEach(visit)
  return urls
}
