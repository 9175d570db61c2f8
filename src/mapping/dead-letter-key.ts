/**
 * Where the dead-letter key comes from: DEAD_LETTER_KEY when set; otherwise, on the embedded
 * store with a data directory, a key generated once and kept in `<DATA_DIR>/dead-letter.key`
 * (mode 0600) so letters survive restarts; otherwise (in-memory store, or PostgreSQL without a
 * key) a key for this process only, which the gateway warns about: letters it seals cannot be
 * replayed by another process or after a restart.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Config } from '../config.js'

export interface DeadLetterKey {
  readonly key: Buffer
  readonly source: 'config' | 'data-dir' | 'process'
}

export async function resolveDeadLetterKey (config: Pick<Config, 'deadLetterKey' | 'store'>): Promise<DeadLetterKey> {
  if (config.deadLetterKey !== undefined) return { key: config.deadLetterKey, source: 'config' }
  if (config.store.kind === 'pglite' && config.store.dataDir !== undefined) {
    const file = join(config.store.dataDir, 'dead-letter.key')
    await mkdir(config.store.dataDir, { recursive: true })
    try {
      // 'wx': two processes starting together cannot both write a key; the loser reads the winner's.
      await writeFile(file, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'hex')
    if (key.length !== 32) throw new Error(`${file} does not hold a 64-hex-digit key`)
    return { key, source: 'data-dir' }
  }
  return { key: randomBytes(32), source: 'process' }
}
