/**
 * Many FHIR invariants only require some elements to be empty, e.g. DomainResource's dom-2
 * `contained.contained.empty()` and dom-4 `contained.meta.versionId.empty() and
 * contained.meta.lastUpdated.empty()`, checked on every resource. Such an invariant holds on any
 * value that has none of the elements its paths start from, so the validator can skip evaluating
 * it there (FHIRPath evaluation is most of an invariant's cost).
 */

/** Element names start lower case; a capitalised first step would be a type filter, not an element. */
const EMPTY_TERM = /^([a-z][A-Za-z0-9]*)(?:\.[a-z][A-Za-z0-9]*)*\.empty\(\)$/

/**
 * The element names whose absence makes `expression` true, when it is one or more
 * `path.empty()` terms joined by `and`; undefined for any other expression.
 */
export function elementsRequiredEmpty (expression: string): readonly string[] | undefined {
  const names: string[] = []
  for (const term of expression.trim().split(/\s+and\s+/)) {
    const first = EMPTY_TERM.exec(term)?.[1]
    if (first === undefined) return undefined
    names.push(first)
  }
  return names
}

/**
 * True when the JSON object has none of the named elements, counting a choice's typed variants
 * (`value` is present as `valueString`) and a primitive's extension-only form (`_status`).
 */
export function hasNoneOf (object: object, names: readonly string[]): boolean {
  for (const rawKey in object) {
    const key = rawKey.startsWith('_') ? rawKey.slice(1) : rawKey
    for (const name of names) {
      if (key === name) return false
      if (key.startsWith(name) && /[A-Z]/.test(key.charAt(name.length))) return false
    }
  }
  return true
}
