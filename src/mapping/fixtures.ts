/**
 * Golden fixtures: `fixtures/<case>.input.json|csv` of a mapping folder maps to
 * `fixtures/<case>.expected.json`. A payload the mapping rejects expects the OperationOutcome it
 * is answered with, so bad-payload cases are fixtures too.
 */
import { AssertionError, deepStrictEqual } from 'node:assert'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { toOutcome } from '../fhir/outcome.js'
import type { LoadedMapping } from './registry.js'
import { transformText } from './transform-text.js'

export interface Fixture {
  readonly mapping: LoadedMapping
  readonly name: string
  readonly inputFile: string
  readonly expectedFile: string
}

export interface FixtureResult {
  readonly fixture: Fixture
  readonly actual: unknown
  readonly expected: unknown
  /** undefined when actual equals expected; otherwise a readable line diff. */
  readonly diff: string | undefined
}

export async function listFixtures (mapping: LoadedMapping): Promise<Fixture[]> {
  const dir = join(mapping.dir, 'fixtures')
  let files: string[]
  try {
    files = await readdir(dir)
  } catch {
    return []
  }
  return files.filter(f => /\.input\.(json|csv)$/.test(f)).sort().map(f => {
    const name = f.replace(/\.input\.(json|csv)$/, '')
    return { mapping, name, inputFile: join(dir, f), expectedFile: join(dir, `${name}.expected.json`) }
  })
}

/** The output for one payload file: the mapped document, or the OperationOutcome of a rejection. */
export async function mapFile (mapping: LoadedMapping, file: string): Promise<{ ok: boolean, output: unknown }> {
  try {
    const text = await readFile(file, 'utf8')
    // A CSV file maps row by row into one transaction Bundle (transform-text.ts).
    return { ok: true, output: transformText(mapping, text) }
  } catch (err) {
    const { status, outcome } = toOutcome(err)
    // 503: the mapping cannot run here (a ValueSet not held); its outcome says why.
    if (status >= 500 && status !== 503) throw err
    return { ok: false, output: outcome }
  }
}

export async function runFixture (fixture: Fixture, update = false): Promise<FixtureResult> {
  const { output: actual } = await mapFile(fixture.mapping, fixture.inputFile)
  if (update) await writeFile(fixture.expectedFile, JSON.stringify(actual, null, 2) + '\n')
  let expected: unknown
  try {
    expected = JSON.parse(await readFile(fixture.expectedFile, 'utf8'))
  } catch (err) {
    return { fixture, actual, expected: undefined, diff: `cannot read ${fixture.expectedFile}: ${(err as Error).message}` }
  }
  try {
    deepStrictEqual(actual, expected)
    return { fixture, actual, expected, diff: undefined }
  } catch (err) {
    if (!(err instanceof AssertionError)) throw err
    return { fixture, actual, expected, diff: err.message }
  }
}
