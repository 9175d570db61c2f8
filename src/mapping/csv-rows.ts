/**
 * CSV text → one JSON object per data row, keyed by the header row: the reader for mappings whose
 * manifest says `"format": "csv"` (organisations that only export spreadsheets). Parsing is
 * csv-parse's (RFC 4180 quoting, a BOM, CRLF); every cell stays text, since a CSV has no types:
 * the row schema says which cells must look like numbers or dates. An empty cell is left out, so
 * the schema's `required` reports it. Rows are numbered from 1 after the header, and each keeps
 * the line of the file it starts on, so every problem can name both.
 */
import { CsvError, parse } from 'csv-parse/sync'
import type { PayloadProblem } from './mapping-error.js'

export interface CsvRow {
  /** 1 for the first row after the header. */
  readonly row: number
  /** The line of the file the row starts on (the header is line 1). */
  readonly line: number
  readonly record: Readonly<Record<string, string>>
}

export type CsvReadResult =
  | { readonly rows: readonly CsvRow[] }
  | { readonly problem: PayloadProblem }

export function readCsvRows (text: string): CsvReadResult {
  let lastLine = 1
  let header: string[] = []
  try {
    const parsed = parse(text, {
      bom: true,
      columns: (names: string[]) => { header = names.map(n => n.trim()); return header },
      info: true,
      // Remembered while parsing, so a quoting error can say after which line the bad row starts.
      on_record: (record: unknown, context: { lines: number }) => { lastLine = context.lines; return record },
      raw: true,
      skip_empty_lines: true,
      trim: true
    }) as Array<{ record: Record<string, string>, info: { lines: number }, raw: string }>
    const duplicate = header.find((name, i) => header.indexOf(name) !== i)
    if (duplicate !== undefined) return { problem: { pointer: '', message: `line 1: column "${duplicate}" appears more than once in the header` } }
    if (header.some(name => name === '')) return { problem: { pointer: '', message: 'line 1: every header column needs a name' } }
    const rows = parsed.map(({ record, info, raw }, index) => ({ row: index + 1, line: startLine(info.lines, raw), record: withoutEmptyCells(record) }))
    if (rows.length === 0) return { problem: { pointer: '', message: 'the CSV has a header but no rows' } }
    return { rows }
  } catch (err) {
    if (!(err instanceof CsvError)) throw err
    return { problem: { pointer: '', message: csvProblem(err, lastLine) } }
  }
}

/** A quoted cell may span lines: the row starts as many lines before its end as it holds breaks. */
function startLine (endLine: number, raw: string): number {
  const body = raw.replace(/\r?\n$/, '')
  return endLine - (body.match(/\n/g)?.length ?? 0)
}

function withoutEmptyCells (record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== ''))
}

/** csv-parse names the line where it noticed; an unclosed quote is noticed at the end of the file. */
function csvProblem (err: CsvError, lastGoodLine: number): string {
  const message = err.message.replace(/\.$/, '')
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return `broken quoting: a quote opened in the row starting at line ${lastGoodLine + 1} is never closed (${message})`
  if (err.code === 'INVALID_OPENING_QUOTE' || err.code === 'CSV_INVALID_CLOSING_QUOTE') return `broken quoting: ${message}`
  if (err.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' || err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') return `a row has a different number of cells from the header: ${message}`
  return `the CSV cannot be read: ${message}`
}
