/**
 * A CSV mapping runs row by row: the CSV reader (csv-rows.ts) is the pre-step that turns the
 * text into one JSON document per row, and each row goes through the same runMapping as any JSON
 * payload (schema, steps, FML). Problems are reported by row number and line. The rows' transaction
 * Bundles are joined into one, so they are stored together; with `partial`, rows with problems are
 * left out and reported instead of failing the whole file.
 */
import { createHash } from 'node:crypto'
import type { Bundle, BundleEntry, OperationOutcomeIssue } from '@medplum/fhirtypes'
import { GatewayError } from '../errors.js'
import { toOutcome } from '../fhir/outcome.js'
import { readCsvRows, type CsvRow } from './csv-rows.js'
import { payloadError } from './mapping-error.js'
import type { LoadedMapping } from './registry.js'
import { runMapping } from './run-mapping.js'
import { stableUuids } from './stable-uuids.js'

export interface RowRejection {
  readonly row: number
  readonly line: number
  readonly issues: OperationOutcomeIssue[]
}

export interface CsvMappingResult {
  /** One transaction Bundle with the entries of every accepted row, in row order. */
  readonly bundle: Bundle
  /** The row number of each entry of `bundle`, to name the row when storing an entry fails. */
  readonly entryRows: readonly number[]
  /** The line each of those rows starts on. */
  readonly entryLines: readonly number[]
  readonly rows: number
  /** Rows left out (only with `partial`; otherwise any problem throws). */
  readonly rejected: readonly RowRejection[]
}

export function runCsvMapping (mapping: LoadedMapping, text: string, options: { partial: boolean } = { partial: false }): CsvMappingResult {
  const read = readCsvRows(text)
  if ('problem' in read) throw payloadError(mapping.name, [read.problem])
  const entries: BundleEntry[] = []
  const entryRows: number[] = []
  const entryLines: number[] = []
  const rejected: RowRejection[] = []
  const conditions = new Map<string, number>()
  for (const row of read.rows) {
    const mapped = mapRow(mapping, row)
    if ('issues' in mapped) {
      rejected.push({ row: row.row, line: row.line, issues: mapped.issues })
      continue
    }
    // A transaction resolves every If-None-Exist before it creates anything, so two rows
    // creating the same thing (the same assessment exported twice) would both be stored.
    const repeated = (mapped.bundle.entry ?? []).map(e => e.request?.ifNoneExist).find(c => c !== undefined && conditions.has(c))
    if (repeated !== undefined) {
      rejected.push({ row: row.row, line: row.line, issues: [rowIssue({ severity: 'error', code: 'duplicate', details: { text: `repeats row ${conditions.get(repeated) ?? '?'}: both create ${repeated.replace(/^identifier=/, 'the identifier ')}` } }, row)] })
      continue
    }
    for (const entry of mapped.bundle.entry ?? []) {
      entries.push(entry)
      entryRows.push(row.row)
      entryLines.push(row.line)
      const condition = entry.request?.ifNoneExist
      if (condition !== undefined) conditions.set(condition, row.row)
    }
  }
  const issues = rejected.flatMap(r => r.issues)
  if (rejected.length > 0 && (!options.partial || rejected.length === read.rows.length)) {
    const which = rejected.length === read.rows.length ? 'every row' : `${rejected.length} of ${read.rows.length} rows (${rejected.map(r => r.row).join(', ')})`
    throw new GatewayError('invalid', `The CSV does not fit mapping ${mapping.name}: ${which}`, { issues })
  }
  return { bundle: { resourceType: 'Bundle', type: 'transaction', entry: entries }, entryRows, entryLines, rows: read.rows.length, rejected }
}

function mapRow (mapping: LoadedMapping, row: CsvRow): { bundle: Bundle } | { issues: OperationOutcomeIssue[] } {
  try {
    const output = runMapping(mapping, row.record) as Bundle
    if (output?.resourceType !== 'Bundle' || output.type !== 'transaction') {
      throw new GatewayError('fault', `Mapping ${mapping.name} must make a transaction Bundle of each row`)
    }
    // Two rows with the same cells would otherwise get the same urn:uuids in the joined Bundle.
    const seed = createHash('sha256').update(`${row.row}:${JSON.stringify(row.record)}`).digest('hex')
    return { bundle: stableUuids(output, seed) as Bundle }
  } catch (err) {
    const { status, outcome } = toOutcome(err)
    if (status >= 500) throw err
    return { issues: (outcome.issue ?? []).map(issue => rowIssue(issue, row)) }
  }
}

/** The issue as the row's: its text names the row and line, its pointer is into the row list. */
export function rowIssue (issue: OperationOutcomeIssue, row: { row: number, line: number }): OperationOutcomeIssue {
  const text = issue.details?.text ?? issue.diagnostics ?? 'is invalid'
  const pointers = (issue.location ?? []).map(pointer => `/${row.row - 1}${pointer === '/' ? '' : pointer}`)
  return {
    ...issue,
    details: { ...issue.details, text: `row ${row.row} (line ${row.line}): ${text}` },
    location: pointers.length > 0 ? pointers : [`/${row.row - 1}`]
  }
}
