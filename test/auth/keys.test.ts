/**
 * Client keys fetched from a registered jwks_uri (here a JWKS server on 127.0.0.1), and access
 * tokens that expire: a cached verification ends with the token.
 */
import { test } from 'tap'
import { once } from 'node:events'
import { writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { FHIR, buildTestApp, temporaryDirectory } from '../helper.js'
import { newClientKey, signAssertion, tokenForm, TEST_BASE_URL } from './helper.js'

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

test('jwks_uri keys, and token expiry', async (t) => {
  const key = await newClientKey('RS384')
  let served: unknown = { keys: [key.publicJwk] }
  let fetches = 0
  const jwksServer = createServer((_req, res) => {
    fetches++
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served))
  })
  jwksServer.listen(0, '127.0.0.1')
  await once(jwksServer, 'listening')
  t.teardown(() => { jwksServer.close() })
  const { port } = jwksServer.address() as { port: number }

  const dir = await temporaryDirectory(t, 'auth-keys-')
  const clientsFile = join(dir, 'clients.json')
  await writeFile(clientsFile, JSON.stringify({
    clients: [{ clientId: 'remote', role: 'link-worker-service', odsCode: 'LWS01', scopes: ['system/Patient.rs'], jwksUri: `http://127.0.0.1:${port}/jwks.json` }]
  }))
  const { app } = await buildTestApp(t, { AUTH_DISABLED: 'false', AUTH_CLIENTS_FILE: clientsFile, BASE_URL: TEST_BASE_URL, AUTH_TOKEN_LIFETIME: '2' })
  const token = async (assertion: string): Promise<{ status: number, body: Record<string, unknown> }> => {
    const res = await app.inject({ method: 'POST', url: '/auth/token', headers: FORM, payload: tokenForm(assertion) })
    return { status: res.statusCode, body: res.json() }
  }

  await t.test('an assertion verifies with the key fetched from the jwks_uri, which is then cached', async (t) => {
    const first = await token(await signAssertion('remote', key))
    t.equal(first.status, 200)
    t.equal((await token(await signAssertion('remote', key))).status, 200)
    t.equal(fetches, 1, 'fetched once')
  })

  await t.test('a kid the JWKS does not hold is refused', async (t) => {
    const res = await token(await signAssertion('remote', key, { kid: 'rotated-away' }))
    t.equal(res.status, 401)
    t.equal(res.body.error, 'invalid_client')
  })

  await t.test('an access token stops working when it expires, cached or not', async (t) => {
    const issued = await token(await signAssertion('remote', key))
    t.equal(issued.body.expires_in, 2)
    const headers = { authorization: `Bearer ${String(issued.body.access_token)}` }
    t.equal((await app.inject({ method: 'GET', url: `${FHIR}/Patient?_count=1`, headers })).statusCode, 200)
    await new Promise(resolve => setTimeout(resolve, 3100))
    const expired = await app.inject({ method: 'GET', url: `${FHIR}/Patient?_count=1`, headers })
    t.equal(expired.statusCode, 401)
    t.match(expired.headers['www-authenticate'], /error="invalid_token", error_description="The access token has expired"/)
  })

  await t.test('a JWKS that is not a key set is refused, not trusted', async (t) => {
    served = { keys: 'none' }
    const other = await buildTestApp(t, { AUTH_DISABLED: 'false', AUTH_CLIENTS_FILE: clientsFile, BASE_URL: TEST_BASE_URL })
    const res = await other.app.inject({ method: 'POST', url: '/auth/token', headers: FORM, payload: tokenForm(await signAssertion('remote', key)) })
    t.equal(res.statusCode, 401)
    t.equal(res.json().error, 'invalid_client')
  })
})
