/**
 * `code-display`: a form's `code|display` string becomes `{ "code": …, "display": … }` so the
 * map can read each part (FHIRPath in @medplum/core has no split()). A string without `|` is a
 * code with no display.
 */
import type { StepDefinition } from './step.js'

export function splitCodeDisplay (text: string): { code: string, display?: string } | undefined {
  const bar = text.indexOf('|')
  const code = (bar === -1 ? text : text.slice(0, bar)).trim()
  const display = bar === -1 ? '' : text.slice(bar + 1).trim()
  if (code === '' || /\s/.test(code)) return undefined
  return display === '' ? { code } : { code, display }
}

export const codeDisplayStep: StepDefinition = {
  name: 'code-display',
  description: 'A "code|display" string becomes an object with code and display',
  scope: 'value',
  checkOptions: () => undefined,
  apply (value) {
    if (typeof value !== 'string') return { problem: 'must be a string "code|display"' }
    const parts = splitCodeDisplay(value)
    return parts === undefined ? { problem: 'must start with a code (no spaces) before an optional "|display"' } : { value: parts }
  }
}
