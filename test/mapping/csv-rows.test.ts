import { test } from 'tap'
import { readCsvRows } from '../../src/mapping/csv-rows.js'

test('rows are keyed by the header, numbered, and keep the line they start on', async (t) => {
  const result = readCsvRows('\uFEFFassessment_id, total ,note\r\nA1,23,\r\n\r\n"A2",19,"two\nlines, and ""quotes"""\r\nA3, 7 ,x\r\n')
  t.ok('rows' in result)
  if (!('rows' in result)) return
  t.same(result.rows, [
    { row: 1, line: 2, record: { assessment_id: 'A1', total: '23' } },
    { row: 2, line: 4, record: { assessment_id: 'A2', total: '19', note: 'two\nlines, and "quotes"' } },
    { row: 3, line: 6, record: { assessment_id: 'A3', total: '7', note: 'x' } }
  ])
})

test('broken quoting names where the bad row starts', async (t) => {
  const unclosed = readCsvRows('id,total\nA1,23\nA2,19\n"A3,7\nA4,8\n')
  t.match(unclosed, { problem: { pointer: '', message: /broken quoting: a quote opened in the row starting at line 4 is never closed/ } })
  const stray = readCsvRows('id,total\nA1,23\nA"2,19\n')
  t.match(stray, { problem: { message: /broken quoting: .*line 3/ } })
})

test('a row with too many cells, duplicate or blank header names, and no rows are problems', async (t) => {
  t.match(readCsvRows('id,total\nA1,23,9\n'), { problem: { message: /different number of cells from the header.*line 2/ } })
  t.match(readCsvRows('id,id\nA1,23\n'), { problem: { message: /line 1: column "id" appears more than once/ } })
  t.match(readCsvRows('id,\nA1,23\n'), { problem: { message: /line 1: every header column needs a name/ } })
  t.match(readCsvRows('id,total\n'), { problem: { message: /no rows/ } })
})
