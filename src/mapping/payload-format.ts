/**
 * Reads a JSON mapping's payload (a syntax error is a 400 at the payload). CSV is read row by row
 * by run-csv-mapping.ts (transform-text.ts and inbound-rows.ts choose): reaching here with a CSV
 * mapping is a bug in the caller.
 */
import { GatewayError } from '../errors.js'
import { payloadError } from './mapping-error.js'
import type { LoadedMapping } from './registry.js'

export function readPayload (mapping: LoadedMapping, text: string): unknown {
  if (mapping.format === 'csv') throw new GatewayError('fault', `Mapping ${mapping.name} reads CSV: its text goes through runCsvMapping, not readPayload`)
  try {
    return JSON.parse(text)
  } catch (err) {
    throw payloadError(mapping.name, [{ pointer: '', message: `is not JSON (${(err as Error).message})` }])
  }
}
