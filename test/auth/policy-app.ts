/**
 * The gateway for the access-policy tests, with the world's clients and a way to make requests
 * as each of them.
 */
import type { Test } from 'tap'
import type { Caller } from '../../src/auth/caller.js'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { isolatedDatabaseUrl, type TestApp } from '../helper.js'
import { CLIENTS, type ClientName, type Headers } from './policy-world.js'

export interface PolicyApp extends TestApp {
  readonly as: (client: ClientName) => Promise<Headers>
}

const CLIENT_HEADER = 'x-test-client'

/**
 * Until authentication lands, the caller is chosen by a test-only header through a hook this
 * test adds (the app itself never reads it).
 */
export async function buildPolicyApp (t: Test): Promise<PolicyApp> {
  const databaseUrl = await isolatedDatabaseUrl(t)
  const config = loadConfig({ LOG_LEVEL: 'info', DATA_DIR: ':memory:', PROFILES_DIR: './profiles', ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }) })
  const lines: string[] = []
  const { Writable } = await import('node:stream')
  const logStream = new Writable({ write (chunk, _encoding, done) { lines.push(String(chunk)); done() } })
  const app = await buildApp(config, { logStream })
  const callers = new Map<string, Caller>(Object.entries(CLIENTS).map(([name, spec]) => [name, { ...spec, identifiable: 'identifiable' in spec && spec.identifiable === true }]))
  app.addHook('onRequest', (request, _reply, done) => {
    const name = request.headers[CLIENT_HEADER]
    const caller = typeof name === 'string' ? callers.get(name) : undefined
    if (caller !== undefined) request.caller = caller
    done()
  })
  t.teardown(async () => { await app.close() })
  await app.ready()
  return { app, logs: () => lines.join(''), as: async (client) => ({ [CLIENT_HEADER]: client }) }
}
