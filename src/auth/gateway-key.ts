/**
 * The key the gateway signs its access tokens with, and the JWKS that publishes its public half.
 * Production names a private JWK file (AUTH_SIGNING_KEY_FILE), shared by every gateway process.
 * A local embedded store keeps a generated key in DATA_DIR (tokens survive a restart); otherwise
 * (in-memory store, tests) a fresh key lives only as long as the process.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose'

/** ES256: small tokens, fast to sign and verify. */
const GENERATED_ALG = 'ES256'
const ALG_BY_CURVE: Record<string, string> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }

export interface GatewayKey {
  readonly alg: string
  readonly kid: string
  readonly privateKey: CryptoKey
  readonly publicKey: CryptoKey
  /** The public JWK with kid, alg and use, as published. */
  readonly publicJwk: JWK
}

export type GatewayKeySource =
  | { readonly kind: 'file', readonly path: string }
  | { readonly kind: 'data-dir', readonly dataDir: string }
  | { readonly kind: 'ephemeral' }

export function signingKeyPath (dataDir: string): string {
  return join(dataDir, 'auth', 'gateway-signing-key.json')
}

export async function loadGatewayKey (source: GatewayKeySource): Promise<GatewayKey> {
  if (source.kind === 'file') return await fromPrivateJwk(JSON.parse(await readFile(source.path, 'utf8')) as JWK, source.path)
  if (source.kind === 'ephemeral') return await fromPrivateJwk(await generatePrivateJwk(), 'a generated key')
  const path = signingKeyPath(source.dataDir)
  let jwk: JWK
  try {
    jwk = JSON.parse(await readFile(path, 'utf8')) as JWK
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    jwk = await generatePrivateJwk()
    await mkdir(dirname(path), { recursive: true, mode: 0o700 })
    // 'wx': two processes starting on one folder must not overwrite each other's key.
    await writeFile(path, JSON.stringify(jwk), { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error
      jwk = JSON.parse(await readFile(path, 'utf8')) as JWK
    })
  }
  return await fromPrivateJwk(jwk, path)
}

async function generatePrivateJwk (): Promise<JWK> {
  const { privateKey } = await generateKeyPair(GENERATED_ALG, { extractable: true })
  return { ...await exportJWK(privateKey), alg: GENERATED_ALG }
}

async function fromPrivateJwk (jwk: JWK, source: string): Promise<GatewayKey> {
  if (typeof jwk.d !== 'string') throw new Error(`The gateway signing key in ${source} must be a private JWK`)
  const alg = jwk.alg ?? (jwk.kty === 'EC' ? ALG_BY_CURVE[jwk.crv ?? ''] : jwk.kty === 'RSA' ? 'RS256' : undefined)
  if (alg === undefined) throw new Error(`The gateway signing key in ${source} must be an EC or RSA JWK`)
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, ...publicPart } = jwk
  const kid = jwk.kid ?? await calculateJwkThumbprint(publicPart)
  const publicJwk: JWK = { ...publicPart, kid, alg, use: 'sig' }
  return {
    alg,
    kid,
    privateKey: await importJWK(jwk, alg) as CryptoKey,
    publicKey: await importJWK(publicJwk, alg) as CryptoKey,
    publicJwk
  }
}
