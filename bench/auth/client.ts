/**
 * The benchmarks' registered client: an admin with a fresh ES384 key pair in a clients file, and
 * the bearer header it gets from a running gateway through the real token endpoint.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose'
import { requestToken, signClientAssertion } from '../../tools/token/sign-assertion.js'

/** BASE_URL of the measured gateway: only the assertion's aud and the links depend on it. */
export const BENCH_BASE_URL = 'http://gateway.bench'
const CLIENT_ID = 'bench-admin'

export interface BenchClient { readonly clientsFile: string, readonly privateJwk: JWK }

export async function makeBenchClient (dir: string): Promise<BenchClient> {
  const { privateKey, publicKey } = await generateKeyPair('ES384', { extractable: true })
  const publicJwk = await exportJWK(publicKey)
  const kid = await calculateJwkThumbprint(publicJwk)
  const clientsFile = join(dir, 'clients.json')
  await writeFile(clientsFile, JSON.stringify({
    clients: [{ clientId: CLIENT_ID, role: 'admin', scopes: ['system/*.cruds'], jwks: { keys: [{ ...publicJwk, kid, alg: 'ES384', use: 'sig' }] } }]
  }))
  return { clientsFile, privateJwk: { ...await exportJWK(privateKey), kid, alg: 'ES384' } }
}

/** The gateway's environment with authentication on for this client (rate limit too high to trip). */
export function authOnEnv (client: BenchClient): Record<string, string> {
  return { AUTH_CLIENTS_FILE: client.clientsFile, RATE_LIMIT_MAX: '1000000000', BASE_URL: BENCH_BASE_URL }
}

export async function benchBearer (origin: string, client: BenchClient): Promise<Record<string, string>> {
  const answer = await requestToken(`${origin}/auth/token`, await signClientAssertion(CLIENT_ID, client.privateJwk, `${BENCH_BASE_URL}/auth/token`), undefined)
  if (answer.access_token === undefined) throw new Error(`no token: ${answer.error ?? ''} ${answer.error_description ?? ''}`)
  return { authorization: `Bearer ${answer.access_token}` }
}
