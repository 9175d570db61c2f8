/**
 * POST /auth/token (SMART Backend Services): a good assertion gets a token that works; every
 * refusal the issue lists is an OAuth error and gets no token; discovery and JWKS are public.
 */
import { test } from 'tap'
import { generateSecret, SignJWT, base64url, jwtVerify, createLocalJWKSet } from 'jose'
import { FHIR } from '../helper.js'
import { buildAuthedTestApp, newClientKey, signAssertion, tokenForm, TEST_BASE_URL, TOKEN_URL } from './helper.js'

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

test('the token endpoint', async (t) => {
  const { app, keys, logs } = await buildAuthedTestApp(t, [
    { clientId: 'gp-1', role: 'gp-system', odsCode: 'A12345', scopes: ['system/ServiceRequest.cru', 'system/Patient.rs'] },
    { clientId: 'crm-1', role: 'vcfse-crm', odsCode: 'VCF01', scopes: ['system/Task.rus'] },
    { clientId: 'rs384', role: 'dashboard', odsCode: 'ICB01', scopes: ['system/*.s'], keyAlg: 'RS384' },
    { clientId: 'rs512', role: 'dashboard', odsCode: 'ICB01', scopes: ['system/*.s'], keyAlg: 'RS512' }
  ])
  const gpKey = keys.get('gp-1')
  if (gpKey === undefined) throw new Error('no key')
  const post = async (payload: string, headers: Record<string, string> = FORM): Promise<{ status: number, body: Record<string, unknown>, headers: Record<string, unknown> }> => {
    const res = await app.inject({ method: 'POST', url: '/auth/token', headers, payload })
    return { status: res.statusCode, body: res.json(), headers: res.headers }
  }
  const refused = async (t: Test, assertion: string, error: string, pattern: RegExp, scope?: string): Promise<void> => {
    const res = await post(tokenForm(assertion, scope))
    t.equal(res.status, error === 'invalid_client' ? 401 : 400)
    t.equal(res.body.error, error)
    t.match(String(res.body.error_description), pattern)
    t.notOk('access_token' in res.body, 'no token')
    t.equal(res.headers['cache-control'], 'no-store')
  }
  type Test = typeof t

  await t.test('a good assertion gets a bearer token for the granted scopes, signed by the published key', async (t) => {
    const res = await post(tokenForm(await signAssertion('gp-1', gpKey)))
    t.equal(res.status, 200)
    t.equal(res.body.token_type, 'bearer')
    t.equal(res.body.expires_in, 300)
    t.equal(res.body.scope, 'system/ServiceRequest.cru system/Patient.rs')
    t.equal(res.headers['cache-control'], 'no-store')
    const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json()
    const { payload } = await jwtVerify(String(res.body.access_token), createLocalJWKSet(jwks), { issuer: TEST_BASE_URL, audience: `${TEST_BASE_URL}/fhir` })
    t.equal(payload.sub, 'gp-1')
    t.equal((payload.exp ?? 0) - (payload.iat ?? 0), 300)
    const read = await app.inject({ method: 'GET', url: `${FHIR}/Patient?_count=1`, headers: { authorization: `Bearer ${String(res.body.access_token)}` } })
    t.equal(read.statusCode, 200)
  })

  await t.test('a requested scope narrows the grant; scopes beyond the registration are dropped', async (t) => {
    const res = await post(tokenForm(await signAssertion('gp-1', gpKey), 'system/ServiceRequest.r system/Task.r system/Patient.rs'))
    t.equal(res.status, 200)
    t.equal(res.body.scope, 'system/ServiceRequest.r system/Patient.rs')
    await refused(t, await signAssertion('gp-1', gpKey), 'invalid_scope', /None of the requested scopes/, 'system/Task.cruds')
  })

  await t.test('RS384, ES384 and RS512 are accepted', async (t) => {
    for (const clientId of ['rs384', 'gp-1', 'rs512']) {
      const key = keys.get(clientId)
      if (key === undefined) throw new Error('no key')
      const res = await post(tokenForm(await signAssertion(clientId, key)))
      t.equal(res.status, 200, String(key.publicJwk.alg))
    }
  })

  await t.test('refused: alg none', async (t) => {
    const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none', kid: gpKey.kid }))}.${base64url.encode(JSON.stringify({ iss: 'gp-1', sub: 'gp-1', aud: TOKEN_URL, exp: Math.floor(Date.now() / 1000) + 60, jti: 'x1' }))}.`
    await refused(t, unsigned, 'invalid_client', /alg is not accepted/)
  })

  await t.test('refused: an HS256 assertion (even one "signed" with the public key as secret)', async (t) => {
    const secret = await generateSecret('HS256')
    await refused(t, await signAssertion('gp-1', gpKey, { alg: 'HS256', key: secret }), 'invalid_client', /alg is not accepted/)
    const publicAsSecret = new TextEncoder().encode(JSON.stringify(gpKey.publicJwk))
    await refused(t, await signAssertion('gp-1', gpKey, { alg: 'HS384', key: publicAsSecret }), 'invalid_client', /alg is not accepted/)
  })

  await t.test('refused: ES256 (not in the accepted list)', async (t) => {
    const es256 = await newClientKey('ES256')
    await refused(t, await signAssertion('gp-1', es256, { kid: gpKey.kid }), 'invalid_client', /alg is not accepted/)
  })

  await t.test('refused: wrong aud', async (t) => {
    await refused(t, await signAssertion('gp-1', gpKey, { aud: `${TEST_BASE_URL}/fhir` }), 'invalid_client', /aud must be the token endpoint/)
  })

  await t.test('refused: expired', async (t) => {
    await refused(t, await signAssertion('gp-1', gpKey, { expiresIn: -120, issuedAt: Math.floor(Date.now() / 1000) - 200 }), 'invalid_client', /expired/)
  })

  await t.test('refused: a lifetime over five minutes', async (t) => {
    await refused(t, await signAssertion('gp-1', gpKey, { expiresIn: 600 }), 'invalid_client', /at most 300 seconds/)
    const now = Math.floor(Date.now() / 1000)
    await refused(t, await signAssertion('gp-1', gpKey, { expiresIn: 200, issuedAt: now - 200 }), 'invalid_client', /at most 300 seconds/)
  })

  await t.test('refused: a reused jti, even for a different scope', async (t) => {
    const first = await post(tokenForm(await signAssertion('gp-1', gpKey, { jti: 'once-only' })))
    t.equal(first.status, 200)
    await refused(t, await signAssertion('gp-1', gpKey, { jti: 'once-only' }), 'invalid_client', /jti has been used/, 'system/Patient.rs')
    // Another client may happen to pick the same jti.
    const crmKey = keys.get('crm-1')
    if (crmKey === undefined) throw new Error('no key')
    t.equal((await post(tokenForm(await signAssertion('crm-1', crmKey, { jti: 'once-only' })))).status, 200)
  })

  await t.test('refused: an unknown kid, and a missing kid', async (t) => {
    await refused(t, await signAssertion('gp-1', gpKey, { kid: 'not-registered' }), 'invalid_client', /kid names no key/)
    await refused(t, await signAssertion('gp-1', gpKey, { kid: '' }), 'invalid_client', /must name the signing key/)
  })

  await t.test('refused: a key the client did not register (same kid)', async (t) => {
    const stranger = await newClientKey('ES384')
    await refused(t, await signAssertion('gp-1', stranger, { kid: gpKey.kid }), 'invalid_client', /signature does not verify/)
  })

  await t.test('refused: wrong iss or sub', async (t) => {
    await refused(t, await signAssertion('gp-1', gpKey, { iss: 'nobody', sub: 'nobody' }), 'invalid_client', /iss is not a registered client/)
    await refused(t, await signAssertion('gp-1', gpKey, { sub: 'crm-1' }), 'invalid_client', /sub must equal its iss/)
    // Signed by gp-1's key but claiming to be crm-1.
    await refused(t, await signAssertion('gp-1', gpKey, { iss: 'crm-1', sub: 'crm-1' }), 'invalid_client', /kid names no key/)
  })

  await t.test('refused: not a JWT, wrong grant type, wrong assertion type, not a form', async (t) => {
    await refused(t, 'not.a.jwt', 'invalid_client', /not a signed JWT/)
    const assertion = await signAssertion('gp-1', gpKey)
    const wrongGrant = await post(tokenForm(assertion).replace('client_credentials', 'password'))
    t.equal(wrongGrant.status, 400)
    t.equal(wrongGrant.body.error, 'unsupported_grant_type')
    const wrongType = await post(new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'bearer', client_assertion: assertion }).toString())
    t.equal(wrongType.body.error, 'invalid_request')
    const json = await post(JSON.stringify({ grant_type: 'client_credentials' }), { 'content-type': 'application/json' })
    t.equal(json.status, 400)
    t.equal(json.body.error, 'invalid_request')
  })

  await t.test('a token request over 16 KB is refused before it is read', async (t) => {
    const res = await post(tokenForm('x'.repeat(20_000)))
    t.equal(res.status, 400)
    t.equal(res.body.error, 'invalid_request')
  })

  await t.test('a refused assertion can be told apart from a good one only by its outcome: nothing issued', async (t) => {
    const bad = await signAssertion('gp-1', gpKey, { aud: 'https://elsewhere.example/token' })
    const res = await app.inject({ method: 'GET', url: `${FHIR}/Patient`, headers: { authorization: `Bearer ${bad}` } })
    t.equal(res.statusCode, 401, 'an assertion is not an access token')
  })

  await t.test('SMART discovery and the JWKS are public', async (t) => {
    for (const url of ['/.well-known/smart-configuration', `${FHIR}/.well-known/smart-configuration`]) {
      const res = await app.inject({ method: 'GET', url })
      t.equal(res.statusCode, 200, url)
      const body = res.json()
      t.equal(body.token_endpoint, TOKEN_URL)
      t.same(body.token_endpoint_auth_signing_alg_values_supported, ['RS384', 'ES384', 'RS512'])
      t.same(body.grant_types_supported, ['client_credentials'])
      t.ok(body.capabilities.includes('client-confidential-asymmetric'))
    }
    const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json()
    t.equal(jwks.keys.length, 1)
    t.notOk('d' in jwks.keys[0], 'no private part')
  })

  await t.test('no assertion or token appears in the logs', async (t) => {
    const assertion = await signAssertion('gp-1', gpKey)
    const res = await post(tokenForm(assertion))
    const token = String(res.body.access_token)
    await app.inject({ method: 'GET', url: `${FHIR}/Patient`, headers: { authorization: `Bearer ${token}` } })
    await app.inject({ method: 'GET', url: `${FHIR}/Patient`, headers: { authorization: `Bearer ${token}x` } })
    const logged = logs()
    t.notOk(logged.includes(assertion.split('.')[2] ?? 'x'), 'no assertion signature')
    t.notOk(logged.includes(token.split('.')[1] ?? 'x'), 'no token')
    t.notOk(logged.includes(token.split('.')[2] ?? 'x'), 'no token signature')
  })

  await t.test('an assertion signed with HS256 by anyone never gets a token', async (t) => {
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', kid: gpKey.kid })
      .setIssuer('gp-1').setSubject('gp-1').setAudience(TOKEN_URL).setJti('hs').setExpirationTime('1m')
      .sign(new TextEncoder().encode('secret'))
    await refused(t, forged, 'invalid_client', /alg is not accepted/)
  })
})
