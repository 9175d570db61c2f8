/** Every step a mapping manifest may name. Adding one: a file here, an entry below, a unit test. */
import { codeDisplayStep } from './code-display.js'
import { columnsToListStep } from './columns-to-list.js'
import { knownCodeStep } from './known-code.js'
import { mergeConditionalCreatesStep } from './merge-conditional-creates.js'
import { nhsNumberStep } from './nhs-number.js'
import { pruneEmptyStep } from './prune-empty.js'
import type { StepDefinition } from './step.js'
import { translateCodingStep } from './translate-coding.js'
import { trimStep } from './trim.js'
import { ukDateStep } from './uk-date.js'

export const STEPS: ReadonlyMap<string, StepDefinition> = new Map(
  [trimStep, ukDateStep, nhsNumberStep, codeDisplayStep, knownCodeStep, pruneEmptyStep, mergeConditionalCreatesStep, translateCodingStep, columnsToListStep].map(step => [step.name, step])
)
