/**
 * What the inbound path needs to know about rows, so a CSV payload goes through the same pipeline
 * as JSON (receipt, Provenance, one transaction) while its problems are told by row:
 * - `mapInboundPayload`: JSON maps as one document; CSV maps row by row (run-csv-mapping.ts).
 * - `rowOfFailure`: the row behind a failed Bundle entry (`Bundle entry i failed`), so a store-time
 *   problem (a person not found, a score out of range) names the row and line too.
 * - With partial acceptance a row whose entry fails is moved to the rejected rows and the rest
 *   is tried again; the answer lists every rejected row after the stored entries.
 */
import type { Bundle, BundleEntry, OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes'
import { GatewayError } from '../errors.js'
import { toOutcome } from '../fhir/outcome.js'
import { readPayload } from './payload-format.js'
import type { LoadedMapping } from './registry.js'
import { rowIssue, runCsvMapping, type RowRejection } from './run-csv-mapping.js'
import { runMapping } from './run-mapping.js'

export interface MappedPayload {
  readonly bundle: Bundle
  /** For CSV: the row and line of each entry of `bundle`. */
  readonly entryRows?: ReadonlyArray<{ readonly row: number, readonly line: number }>
  readonly rejected: readonly RowRejection[]
}

export function mapInboundPayload (mapping: LoadedMapping, body: string, partial: boolean): MappedPayload {
  if (mapping.format !== 'csv') return { bundle: runMapping(mapping, readPayload(mapping, body)) as Bundle, rejected: [] }
  const result = runCsvMapping(mapping, body, { partial })
  return { bundle: result.bundle, entryRows: result.entryRows.map((row, i) => ({ row, line: result.entryLines[i] ?? 0 })), rejected: result.rejected }
}

const FAILED_ENTRY = /^Bundle\.entry\[(\d+)\]/

/** The row whose entry made the transaction fail, when the payload was CSV and one entry is named. */
export function rowOfFailure (err: unknown, mapped: MappedPayload): { row: number, line: number } | undefined {
  if (mapped.entryRows === undefined || !(err instanceof GatewayError)) return undefined
  const indexes = new Set((err.issues ?? []).flatMap(issue => issue.expression ?? []).map(e => FAILED_ENTRY.exec(e)?.[1]).filter(i => i !== undefined))
  if (indexes.size !== 1) return undefined
  return mapped.entryRows[Number([...indexes][0])]
}

/** The same failure with every issue naming its row, for an all-or-nothing CSV. */
export function withRowNumbers (err: unknown, mapped: MappedPayload): unknown {
  const row = rowOfFailure(err, mapped)
  if (row === undefined || !(err instanceof GatewayError)) return err
  const issues = (err.issues ?? []).map(issue => rowIssue(issue, row))
  return new GatewayError(err.category, `Row ${row.row} (line ${row.line}) could not be stored`, { issues, cause: err })
}

/** The payload without the failed row's entries, that row added to the rejected ones. */
export function withoutFailedRow (err: unknown, mapped: MappedPayload, row: { row: number, line: number }): MappedPayload {
  const { outcome } = toOutcome(err)
  const keep = (mapped.entryRows ?? []).map((r, i) => ({ r, entry: mapped.bundle.entry?.[i] })).filter(({ r }) => r.row !== row.row)
  if (keep.length === 0) throw withRowNumbers(err, mapped)
  return {
    bundle: { ...mapped.bundle, entry: keep.map(k => k.entry as BundleEntry) },
    entryRows: keep.map(k => k.r),
    rejected: [...mapped.rejected, { row: row.row, line: row.line, issues: (outcome.issue ?? []).map(issue => rowIssue(issue, row)) }].sort((a, b) => a.row - b.row)
  }
}

/** The transaction-response with one entry per rejected row after the stored ones (partial acceptance). */
export function withRejectedRows (response: Bundle, rejected: readonly RowRejection[]): Bundle {
  if (rejected.length === 0) return response
  const entries: BundleEntry[] = rejected.map(r => ({
    response: {
      status: '400 Bad Request',
      outcome: { resourceType: 'OperationOutcome', issue: r.issues as OperationOutcomeIssue[] } satisfies OperationOutcome
    }
  }))
  return { ...response, entry: [...(response.entry ?? []), ...entries] }
}
