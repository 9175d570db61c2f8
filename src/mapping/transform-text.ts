/**
 * A payload's text through its mapping, whatever the format: a CSV mapping row by row into one
 * transaction Bundle (run-csv-mapping.ts, all or nothing), a JSON mapping through runMapping. The
 * one path for $transform and the fixtures, so both give what POST /inbound would store.
 */
import { readPayload } from './payload-format.js'
import type { LoadedMapping } from './registry.js'
import { runCsvMapping } from './run-csv-mapping.js'
import { runMapping } from './run-mapping.js'

export function transformText (mapping: LoadedMapping, text: string): unknown {
  return mapping.format === 'csv' ? runCsvMapping(mapping, text).bundle : runMapping(mapping, readPayload(mapping, text))
}
