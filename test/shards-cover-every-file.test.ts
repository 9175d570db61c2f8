/**
 * `npm test` runs the shards (test/shards/), not the files: a file no shard takes would never
 * run, and nothing else would notice. Every test file must be in exactly one shard, or be a solo
 * file that tap runs itself, and there must be a shard file for every share.
 */
import { readdir } from 'node:fs/promises'
import t from 'tap'
import { SHARD_COUNT, shareOf, testFiles } from './shards/run-shard.js'

t.test('each test file runs in exactly one shard', async t => {
  const files = await testFiles()
  t.ok(files.length > 50, `found the test files (${files.length})`)
  const taken = Array.from({ length: SHARD_COUNT }, (_, i) => shareOf(files, i + 1, SHARD_COUNT).map(f => f.path)).flat()
  t.same([...taken].sort(), files.map(f => f.path).sort(), 'the shards together take every file, each once')
  t.ok(taken.includes('shards-cover-every-file.test.ts'), 'this file among them')
  t.notOk(taken.some(path => path.endsWith('.solo.test.ts') || path.startsWith('shards/')), 'and neither solo files nor the shards themselves')
})

t.test('there is a shard file for every share, and no other', async t => {
  const shardFiles = (await readdir(new URL('./shards/', import.meta.url))).filter(f => f.endsWith('.test.ts')).sort()
  t.same(shardFiles, Array.from({ length: SHARD_COUNT }, (_, i) => `${i + 1}.test.ts`).sort())
})

t.test('shares stay close in size', async t => {
  const files = await testFiles()
  const sizes = Array.from({ length: SHARD_COUNT }, (_, i) => shareOf(files, i + 1, SHARD_COUNT).reduce((sum, f) => sum + f.bytes, 0))
  const biggestFile = Math.max(...files.map(f => f.bytes))
  t.ok(Math.max(...sizes) - Math.min(...sizes) <= biggestFile, `no share exceeds another by more than one file (${sizes.join(', ')} bytes)`)
})
