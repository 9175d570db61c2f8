/**
 * Never silently open, loud when disabled, and a rate limit per client answering 429
 * OperationOutcome with Retry-After.
 */
import { test } from 'tap'
import { FHIR, FHIR_JSON, buildTestApp, patient } from '../helper.js'
import { buildAuthedTestApp } from './helper.js'

test('no clients registered and auth on: every protected route is 401, never open', async (t) => {
  const { app, logs } = await buildTestApp(t, { AUTH_DISABLED: 'false' })
  t.equal((await app.inject({ method: 'GET', url: `${FHIR}/Patient` })).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: FHIR_JSON, payload: patient('9000000009') })).statusCode, 401)
  t.equal((await app.inject({ method: 'GET', url: `${FHIR}/metadata` })).statusCode, 200)
  t.match(logs(), 'no clients are registered')
})

test('AUTH_DISABLED=true logs a loud warning on start', async (t) => {
  const { app, logs } = await buildTestApp(t, { AUTH_DISABLED: 'true' })
  t.equal((await app.inject({ method: 'GET', url: `${FHIR}/Patient?_count=1` })).statusCode, 200)
  t.match(logs(), /"level":40.*AUTHENTICATION IS DISABLED/)
})

test('rate limit per client: 429 OperationOutcome with Retry-After; other clients unaffected', async (t) => {
  const { app, bearer } = await buildAuthedTestApp(t, [
    { clientId: 'busy', role: 'dashboard', odsCode: 'ICB01', scopes: ['system/*.rs'] },
    { clientId: 'quiet', role: 'dashboard', odsCode: 'ICB01', scopes: ['system/*.rs'] }
  ], { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' })
  const busy = await bearer('busy')
  const quiet = await bearer('quiet')
  for (let i = 0; i < 3; i++) {
    t.equal((await app.inject({ method: 'GET', url: `${FHIR}/Patient?_count=1`, headers: busy })).statusCode, 200)
  }
  const limited = await app.inject({ method: 'GET', url: `${FHIR}/Patient?_count=1`, headers: busy })
  t.equal(limited.statusCode, 429)
  t.equal(limited.json().resourceType, 'OperationOutcome')
  t.equal(limited.json().issue[0].code, 'throttled')
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After in seconds')
  t.equal((await app.inject({ method: 'GET', url: `${FHIR}/Patient?_count=1`, headers: quiet })).statusCode, 200)
})
