/** Where the dead-letter key comes from: DEAD_LETTER_KEY, a file kept in DATA_DIR, or the process. */
import { readFileSync, statSync } from 'node:fs'
import { test } from 'tap'
import { loadConfig } from '../../src/config.js'
import { resolveDeadLetterKey } from '../../src/mapping/dead-letter-key.js'

test('DEAD_LETTER_KEY: 64 hex digits or base64 of 32 bytes; anything else stops start-up naming it', async (t) => {
  const hex = 'ab'.repeat(32)
  t.same(loadConfig({ DEAD_LETTER_KEY: hex }).deadLetterKey, Buffer.from(hex, 'hex'))
  const base64 = Buffer.alloc(32, 7).toString('base64')
  t.same(loadConfig({ DEAD_LETTER_KEY: base64 }).deadLetterKey, Buffer.alloc(32, 7))
  t.throws(() => loadConfig({ DEAD_LETTER_KEY: 'secret' }), /DEAD_LETTER_KEY/)
  t.throws(() => loadConfig({ DEAD_LETTER_KEY: 'ab'.repeat(16) }), /DEAD_LETTER_KEY/, 'a 128-bit key is refused')
  t.equal(loadConfig({}).mappingsDir, './mappings')
})

test('the key is taken from config, else kept in DATA_DIR, else made for the process', async (t) => {
  const configured = await resolveDeadLetterKey(loadConfig({ DEAD_LETTER_KEY: 'cd'.repeat(32) }))
  t.same(configured, { key: Buffer.from('cd'.repeat(32), 'hex'), source: 'config' })

  const dir = t.testdir({})
  const first = await resolveDeadLetterKey(loadConfig({ DATA_DIR: dir }))
  t.equal(first.source, 'data-dir')
  t.equal(first.key.length, 32)
  t.equal(readFileSync(`${dir}/dead-letter.key`, 'utf8').trim(), first.key.toString('hex'))
  t.equal(statSync(`${dir}/dead-letter.key`).mode & 0o777, 0o600, 'readable by the gateway user only')
  const again = await resolveDeadLetterKey(loadConfig({ DATA_DIR: dir }))
  t.same(again.key, first.key, 'the same key after a restart')

  const memory = await resolveDeadLetterKey(loadConfig({ DATA_DIR: ':memory:' }))
  t.equal(memory.source, 'process')
  const postgres = await resolveDeadLetterKey(loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/db' }))
  t.equal(postgres.source, 'process')
  t.not(postgres.key.toString('hex'), memory.key.toString('hex'))
})
