/**
 * Runs one share of the test files in this process. Every test process pays the same start-up
 * before its first assertion: tap's own hooks, importing the app, and the first gateway build
 * (about 10 s of CPU, most of it the JIT warming up over medplum's definitions, ajv's code
 * generation and PGlite's WebAssembly). Paid once per file, that start-up was most of the
 * suite's CPU: the PGlite suite took 30 CPU-minutes as 81 processes and 11 as 8 shards
 * and one solo file, all 4,786 tests passing both ways.
 *
 * Each test file still runs alone (`npx tap test/fhir/crud.test.ts`). A file that needs a
 * process of its own is named `*.solo.test.ts` and tap runs it directly.
 */
import { readdir, stat } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { join, sep } from 'node:path'

const TEST_ROOT = fileURLToPath(new URL('..', import.meta.url))

export const SHARD_COUNT = 8

/** Runs the share of test/shards/<N>.test.ts, named by its own URL. */
export async function runShard (shardFile: string): Promise<void> {
  const shard = Number(/(\d+)\.test\.ts$/.exec(shardFile)?.[1])
  if (!Number.isInteger(shard) || shard < 1 || shard > SHARD_COUNT) throw new Error(`${shardFile} is not a shard of ${SHARD_COUNT}`)
  const files = await testFiles()
  for (const file of shareOf(files, shard, SHARD_COUNT)) await import(pathToFileURL(join(TEST_ROOT, file.path)).href)
}

export interface TestFile { readonly path: string, readonly bytes: number }

/** Every test file under test/ that a shard may take: not the shards, not the solo files. */
export async function testFiles (): Promise<TestFile[]> {
  const paths = (await readdir(TEST_ROOT, { recursive: true }))
    .filter(p => p.endsWith('.test.ts') && !p.endsWith('.solo.test.ts') && !p.startsWith(`shards${sep}`))
    .sort()
  return await Promise.all(paths.map(async path => ({ path, bytes: (await stat(join(TEST_ROOT, path))).size })))
}

/**
 * The files of one shard: biggest first, each to the shard with the fewest bytes so far. Size is
 * a rough stand-in for run time, good enough to keep the shards close; the assignment depends
 * only on the files, so every shard process computes the same one and each file runs once.
 */
export function shareOf (files: readonly TestFile[], shard: number, shardCount: number): TestFile[] {
  const loads = Array.from({ length: shardCount }, () => ({ bytes: 0, files: [] as TestFile[] }))
  const biggestFirst = [...files].sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path))
  for (const file of biggestFirst) {
    const lightest = loads.reduce((best, load) => load.bytes < best.bytes ? load : best)
    lightest.bytes += file.bytes
    lightest.files.push(file)
  }
  return loads[shard - 1]!.files.sort((a, b) => a.path.localeCompare(b.path))
}
