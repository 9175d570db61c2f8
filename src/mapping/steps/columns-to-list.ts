/**
 * `columns-to-list`: spreadsheet exports put repeating answers in columns of their own
 * (`SWEMWBS_1`, `SWEMWBS_2`, …). This document step moves every top-level field whose name
 * matches `pattern` into a list `to` of `{ <key>: name, <value>: value }` items, in column order,
 * so the map can iterate them like a JSON payload's list. Options: `pattern` (a regular
 * expression, anchored by the manifest), `to`, `key`, `value`.
 */
import type { StepDefinition, StepOptions } from './step.js'

export function columnsToList (row: Record<string, unknown>, options: { pattern: RegExp, to: string, key: string, value: string }): Record<string, unknown> {
  const kept: Record<string, unknown> = {}
  const list: Array<Record<string, unknown>> = []
  for (const [name, cell] of Object.entries(row)) {
    if (options.pattern.test(name)) list.push({ [options.key]: name, [options.value]: cell })
    else kept[name] = cell
  }
  return list.length === 0 ? kept : { ...kept, [options.to]: list }
}

function optionsOf (options: StepOptions): { pattern: RegExp, to: string, key: string, value: string } {
  return { pattern: new RegExp(String(options.pattern)), to: String(options.to), key: String(options.key), value: String(options.value) }
}

export const columnsToListStep: StepDefinition = {
  name: 'columns-to-list',
  description: 'Moves the top-level fields whose names match pattern into a list (to) of { key: name, value: value } items',
  scope: 'document',
  checkOptions (options) {
    for (const name of ['pattern', 'to', 'key', 'value']) {
      if (typeof options[name] !== 'string' || options[name] === '') return `needs ${name} (a string)`
    }
    try {
      new RegExp(String(options.pattern)) // eslint-disable-line no-new
    } catch (err) {
      return `pattern is not a regular expression: ${(err as Error).message}`
    }
    return undefined
  },
  apply (value, options) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problem: 'must be an object' }
    return { value: columnsToList(value as Record<string, unknown>, optionsOf(options)) }
  }
}
