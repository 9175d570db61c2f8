/**
 * Two gateway processes sharing one PostgreSQL database agree on used assertion ids: an assertion
 * accepted by one is refused by the other. (PostgreSQL only: an embedded store has one process.)
 */
import { test } from 'tap'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { isolatedDatabaseUrl, temporaryDirectory } from '../helper.js'
import { newClientKey, signAssertion, tokenForm, TEST_BASE_URL } from './helper.js'

test('a jti used at one gateway process is refused at another', { skip: process.env.DATABASE_URL === undefined || process.env.DATABASE_URL === '' ? 'needs DATABASE_URL (PostgreSQL)' : false }, async (t) => {
  const databaseUrl = await isolatedDatabaseUrl(t)
  const dir = await temporaryDirectory(t, 'auth-replay-')
  const key = await newClientKey()
  const clientsFile = join(dir, 'clients.json')
  await writeFile(clientsFile, JSON.stringify({ clients: [{ clientId: 'gp', role: 'gp-system', odsCode: 'A12345', scopes: ['system/Patient.r'], jwks: { keys: [key.publicJwk] } }] }))
  const env = { DATABASE_URL: databaseUrl ?? '', AUTH_CLIENTS_FILE: clientsFile, BASE_URL: TEST_BASE_URL, LOG_LEVEL: 'silent', PROFILES_DIR: './profiles' }
  const quiet = new Writable({ write (_chunk, _encoding, done) { done() } })
  const first = await buildApp(loadConfig(env), { logStream: quiet })
  t.teardown(async () => { await first.close() })
  const second = await buildApp(loadConfig(env), { logStream: quiet })
  t.teardown(async () => { await second.close() })

  const payload = tokenForm(await signAssertion('gp', key))
  const headers = { 'content-type': 'application/x-www-form-urlencoded' }
  t.equal((await first.inject({ method: 'POST', url: '/auth/token', headers, payload })).statusCode, 200)
  const replay = await second.inject({ method: 'POST', url: '/auth/token', headers, payload })
  t.equal(replay.statusCode, 401)
  t.match(replay.json().error_description, /jti has been used/)
})
