/**
 * A step is a small named function a mapping manifest may run on the payload before the FML map
 * (pre) or on the map's output after it (post), for what FML or @medplum/core's engine lacks: UK
 * dates, NHS number checks, `code|display` strings. Steps are data in mapping.json, never code in
 * a mapping folder, and no step knows any particular mapping.
 */
import type { ConceptMap } from '@medplum/fhirtypes'
import type { Terminology } from '../../terminology/terminology.js'

export interface StepEnvironment {
  /** The mapping's own ConceptMaps (`*.conceptmap.json`), by url. */
  readonly conceptMaps: ReadonlyMap<string, ConceptMap>
  /** The CodeSystems and ValueSets under profiles/. */
  readonly terminology: Terminology
}

export type StepOptions = Readonly<Record<string, unknown>>

/** What a step makes of one value: a replacement, nothing (drop the field), or a problem to report. */
export type StepOutcome =
  | { readonly value: unknown }
  | { readonly remove: true }
  | { readonly problem: string }

export interface StepDefinition {
  readonly name: string
  /** One line for mappings/README.md and load errors. */
  readonly description: string
  /**
   * `value` steps run on each field their `at` pointers reach; `document` steps run once on the
   * whole payload or output (no `at`).
   */
  readonly scope: 'value' | 'document'
  /** Checks the options a manifest gives, at load; a text naming what is wrong, or undefined. */
  checkOptions(options: StepOptions, env: StepEnvironment): string | undefined
  /**
   * Something the step needs that this gateway does not hold (a ValueSet of another PROFILES_DIR):
   * not a broken mapping, so start-up goes on, but the mapping cannot run (503) and a warning says why.
   */
  missing?(options: StepOptions, env: StepEnvironment): string | undefined
  apply(value: unknown, options: StepOptions, env: StepEnvironment): StepOutcome
}

export const unchanged = (value: unknown): StepOutcome => ({ value })
