/**
 * The gateway's access tokens: short-lived JWTs it signs itself, naming the client (`sub`) and the
 * scopes granted. Verifying one costs a signature check, so each token's result is kept until the
 * token expires: a client sending many requests with one token pays for the check once.
 * The client's role, organisation and identifiable flag are read from the registry at
 * verification, so a client removed from the registry loses access at the next restart.
 */
import { randomUUID } from 'node:crypto'
import { jwtVerify, SignJWT } from 'jose'
import type { Caller } from './caller.js'
import type { ClientRegistry, RegisteredClient } from './clients.js'
import type { GatewayKey } from './gateway-key.js'
import { parseScope, type ParsedScope } from './scopes.js'

export interface TokenSettings {
  readonly key: GatewayKey
  /** `iss` of the tokens: the gateway's base URL. */
  readonly issuer: string
  /** `aud` of the tokens: the FHIR base URL. */
  readonly audience: string
  readonly lifetimeSeconds: number
}

export interface IssuedToken {
  readonly access_token: string
  readonly token_type: 'bearer'
  readonly expires_in: number
  readonly scope: string
}

/** A verified token's caller, with its scopes parsed once for the per-request checks. */
export interface Authenticated {
  readonly caller: Caller
  readonly allowed: readonly ParsedScope[]
}

export async function issueAccessToken (settings: TokenSettings, client: RegisteredClient, scopes: readonly string[]): Promise<IssuedToken> {
  const token = await new SignJWT({ scope: scopes.join(' '), client_id: client.clientId })
    .setProtectedHeader({ alg: settings.key.alg, kid: settings.key.kid, typ: 'at+jwt' })
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setSubject(client.clientId)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${settings.lifetimeSeconds}s`)
    .sign(settings.key.privateKey)
  return { access_token: token, token_type: 'bearer', expires_in: settings.lifetimeSeconds, scope: scopes.join(' ') }
}

export function authenticatedAs (caller: Caller): Authenticated {
  return { caller, allowed: caller.scopes.map(parseScope).filter((s): s is ParsedScope => s !== undefined) }
}

/** Thrown for a token that does not verify; the message is safe to show and log. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError'
}

interface CachedVerification {
  readonly authenticated: Authenticated
  readonly expiresAtMs: number
}

/** Bounds the cache: at most this many distinct live tokens are remembered; older ones are re-verified. */
const CACHE_LIMIT = 10_000

export interface TokenVerifier {
  /** A token verified before and not yet expired, without a promise: the per-request fast path. */
  cached: (token: string) => Authenticated | undefined
  verify: (token: string) => Promise<Authenticated>
}

export function createTokenVerifier (settings: TokenSettings, clients: ClientRegistry): TokenVerifier {
  const cache = new Map<string, CachedVerification>()
  const cached = (token: string): Authenticated | undefined => {
    const entry = cache.get(token)
    if (entry === undefined) return undefined
    if (entry.expiresAtMs > Date.now()) return entry.authenticated
    cache.delete(token)
    return undefined
  }
  const verify = async (token: string): Promise<Authenticated> => {
    const hit = cached(token)
    if (hit !== undefined) return hit
    let payload
    try {
      ({ payload } = await jwtVerify(token, settings.key.publicKey, {
        algorithms: [settings.key.alg],
        issuer: settings.issuer,
        audience: settings.audience,
        requiredClaims: ['exp', 'sub', 'jti']
      }))
    } catch (err) {
      throw new InvalidTokenError((err as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'The access token has expired' : 'The access token is not valid')
    }
    const client = clients.get(payload.sub ?? '')
    if (client === undefined) throw new InvalidTokenError('The access token names a client that is no longer registered')
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(s => s !== '') : []
    const authenticated = authenticatedAs(Object.freeze({
      clientId: client.clientId,
      role: client.role,
      ...(client.odsCode === undefined ? {} : { odsCode: client.odsCode }),
      scopes: Object.freeze(scopes),
      identifiable: client.identifiable,
      ...(payload.jti === undefined ? {} : { tokenId: payload.jti })
    }))
    if (cache.size >= CACHE_LIMIT) {
      const oldest = cache.keys().next().value
      if (oldest !== undefined) cache.delete(oldest)
    }
    cache.set(token, { authenticated, expiresAtMs: (payload.exp ?? 0) * 1000 })
    return authenticated
  }
  return { cached, verify }
}
