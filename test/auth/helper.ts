/**
 * Tests with authentication on: buildAuthedTestApp registers the given clients (each with a fresh
 * ES384 key pair, in a clients file of its own) and `bearer(clientId, scope?)` gets an access token
 * through the real POST /auth/token with a freshly signed client assertion.
 */
import type { Test } from 'tap'
import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'
import type { ClientRole } from '../../src/auth/caller.js'
import { buildTestApp, temporaryDirectory, type TestApp } from '../helper.js'

export interface TestClientSpec { clientId: string, role: ClientRole, odsCode?: string, scopes: string[], identifiable?: boolean }

/** Where tests send tokens: BASE_URL is fixed so the assertion's aud is known. */
export const TEST_BASE_URL = 'http://gateway.test'
export const TOKEN_URL = `${TEST_BASE_URL}/auth/token`
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

export interface TestClientKey {
  readonly privateKey: CryptoKey
  readonly publicJwk: JWK
  readonly kid: string
}

export async function newClientKey (alg = 'ES384'): Promise<TestClientKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  const jwk = await exportJWK(publicKey)
  const kid = await calculateJwkThumbprint(jwk)
  return { privateKey, publicJwk: { ...jwk, kid, alg, use: 'sig' }, kid }
}

export interface AssertionOverrides {
  readonly alg?: string
  readonly kid?: string
  readonly iss?: string
  readonly sub?: string
  readonly aud?: string
  readonly jti?: string
  /** Seconds from now. */
  readonly expiresIn?: number
  readonly issuedAt?: number
  readonly key?: CryptoKey | Uint8Array
}

/** A client assertion as SMART Backend Services clients sign it; overrides make bad ones. */
export async function signAssertion (clientId: string, key: TestClientKey, overrides: AssertionOverrides = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  return await new SignJWT({})
    .setProtectedHeader({ alg: overrides.alg ?? String(key.publicJwk.alg), kid: overrides.kid ?? key.kid, typ: 'JWT' })
    .setIssuer(overrides.iss ?? clientId)
    .setSubject(overrides.sub ?? clientId)
    .setAudience(overrides.aud ?? TOKEN_URL)
    .setJti(overrides.jti ?? randomUUID())
    .setIssuedAt(overrides.issuedAt ?? now)
    .setExpirationTime(now + (overrides.expiresIn ?? 240))
    .sign(overrides.key ?? key.privateKey)
}

export function tokenForm (assertion: string, scope?: string): string {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion })
  if (scope !== undefined) form.set('scope', scope)
  return form.toString()
}

export type AuthedTestApp = TestApp & {
  bearer: (clientId: string, scope?: string) => Promise<Record<string, string>>
  /** Each client's key pair, to sign assertions by hand. */
  readonly keys: ReadonlyMap<string, TestClientKey>
}

export async function buildAuthedTestApp (t: Test, clients: Array<TestClientSpec & { keyAlg?: string }>, env: Record<string, string> = {}): Promise<AuthedTestApp> {
  const dir = await temporaryDirectory(t, 'auth-clients-')
  const keys = new Map<string, TestClientKey>()
  const registrations = []
  for (const client of clients) {
    const { keyAlg, ...spec } = client
    const key = await newClientKey(keyAlg)
    keys.set(client.clientId, key)
    registrations.push({ ...spec, jwks: { keys: [key.publicJwk] } })
  }
  const clientsFile = join(dir, 'clients.json')
  await writeFile(clientsFile, JSON.stringify({ clients: registrations }))
  const testApp = await buildTestApp(t, { AUTH_DISABLED: 'false', AUTH_CLIENTS_FILE: clientsFile, BASE_URL: TEST_BASE_URL, ...env })

  async function bearer (clientId: string, scope?: string): Promise<Record<string, string>> {
    const key = keys.get(clientId)
    if (key === undefined) throw new Error(`No test client ${clientId}`)
    const res = await testApp.app.inject({
      method: 'POST',
      url: '/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: tokenForm(await signAssertion(clientId, key), scope)
    })
    if (res.statusCode !== 200) throw new Error(`POST /auth/token for ${clientId} answered ${res.statusCode}: ${res.body}`)
    return { authorization: `Bearer ${(res.json() as { access_token: string }).access_token}` }
  }
  return { ...testApp, bearer, keys }
}
