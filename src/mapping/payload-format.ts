/**
 * Reads a payload as its mapping's format declares. JSON is parsed here (a syntax error is a 400
 * at the payload); CSV is not parsed yet: a CSV mapping gets a 400 'not-supported' until the CSV
 * reader lands (issue #5, pack 5).
 */
import { GatewayError } from '../errors.js'
import { payloadError } from './mapping-error.js'
import type { LoadedMapping } from './registry.js'

export function readPayload (mapping: LoadedMapping, text: string): unknown {
  if (mapping.format === 'csv') throw new GatewayError('not-supported', `Mapping ${mapping.name} reads CSV, which this gateway cannot parse yet`)
  try {
    return JSON.parse(text)
  } catch (err) {
    throw payloadError(mapping.name, [{ pointer: '', message: `is not JSON (${(err as Error).message})` }])
  }
}
