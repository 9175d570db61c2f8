/**
 * `known-code`: the code must be one the mapping can translate (a source code of the named
 * ConceptMap of the mapping folder) or a member of a ValueSet held under profiles/. Without this,
 * an unknown code would silently vanish in FML's translate(). Options: `conceptMap` or `valueSet`
 * (url), `system` (with valueSet), `property` when the value is an object (e.g. after code-display).
 */
import type { StepDefinition, StepEnvironment, StepOptions } from './step.js'

export const knownCodeStep: StepDefinition = {
  name: 'known-code',
  description: 'The code must be a source code of one of the mapping\'s ConceptMaps (conceptMap) or in a held ValueSet (valueSet, system)',
  scope: 'value',
  checkOptions (options, env) {
    const { conceptMap, valueSet, system, property } = options
    if (property !== undefined && typeof property !== 'string') return 'property must be a string'
    if (typeof conceptMap === 'string') {
      return env.conceptMaps.has(conceptMap) ? undefined : `no ConceptMap ${conceptMap} in the mapping folder`
    }
    if (typeof valueSet === 'string') return typeof system === 'string' ? undefined : 'valueSet needs system'
    return 'needs conceptMap or valueSet'
  },
  missing (options, env) {
    const { valueSet } = options
    return typeof valueSet === 'string' && env.terminology.valueSet(valueSet) === undefined ? `ValueSet ${valueSet} is not held (PROFILES_DIR)` : undefined
  },
  apply (value, options, env) {
    const code = typeof options.property === 'string' && value !== null && typeof value === 'object'
      ? (value as Record<string, unknown>)[options.property]
      : value
    if (typeof code !== 'string') return { problem: 'must be a code' }
    return isKnown(code, options, env) ? { value } : { problem: `${JSON.stringify(code)} is not a code this mapping knows (${knownFrom(options)})` }
  }
}

function isKnown (code: string, options: StepOptions, env: StepEnvironment): boolean {
  if (typeof options.conceptMap === 'string') {
    const map = env.conceptMaps.get(options.conceptMap)
    return (map?.group ?? []).some(group => (group.element ?? []).some(element => element.code === code))
  }
  const expanded = env.terminology.valueSet(String(options.valueSet))
  return expanded?.index.get(String(options.system))?.has(code) === true
}

function knownFrom (options: StepOptions): string {
  return typeof options.conceptMap === 'string' ? `ConceptMap ${options.conceptMap}` : `ValueSet ${String(options.valueSet)}`
}
