/**
 * Runs a manifest's steps over a document in order. Each value a step cannot take is reported at
 * its JSON Pointer and left as it was, so one pass reports every problem of a payload.
 */
import { selectPointer } from './json-pointer.js'
import type { PayloadProblem } from './mapping-error.js'
import type { StepDefinition, StepEnvironment, StepOptions } from './steps/step.js'

export interface StepCall {
  readonly step: StepDefinition
  /** JSON Pointers (with `*`) of the fields a value step applies to; empty for a document step. */
  readonly at: readonly string[]
  readonly options: StepOptions
}

export interface StepsResult {
  readonly document: unknown
  readonly problems: PayloadProblem[]
}

/** The document is changed in place; pass a copy when the caller's value must survive. */
export function applySteps (document: unknown, calls: readonly StepCall[], env: StepEnvironment): StepsResult {
  const problems: PayloadProblem[] = []
  let current = document
  for (const call of calls) {
    if (call.step.scope === 'document') {
      const outcome = call.step.apply(current, call.options, env)
      if ('problem' in outcome) problems.push({ pointer: '', message: outcome.problem })
      else if ('value' in outcome) current = outcome.value
      continue
    }
    for (const pattern of call.at) {
      // Removing array items while walking would shift the pointers still to come: collect first.
      const removals: Array<{ parent: unknown[] | Record<string, unknown>, key: string | number }> = []
      for (const match of selectPointer(current, pattern)) {
        const outcome = call.step.apply(match.value, call.options, env)
        if ('problem' in outcome) problems.push({ pointer: match.pointer, message: outcome.problem })
        else if ('remove' in outcome) removals.push(match)
        else (match.parent as Record<string | number, unknown>)[match.key] = outcome.value
      }
      for (const { parent, key } of removals.reverse()) {
        if (Array.isArray(parent)) parent.splice(key as number, 1)
        else delete parent[key]
      }
    }
  }
  return { document: current, problems }
}
