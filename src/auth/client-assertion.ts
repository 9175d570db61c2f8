/**
 * Checks a SMART Backend Services client assertion (a JWT the client signs with its registered
 * key) and returns the client it authenticates. Refuses, as OAuth `invalid_client`: a token that
 * is not a JWT, `alg` other than RS384/ES384/RS512 (so `none` and the HS family too), a missing
 * or unknown `kid`, an unregistered `iss`, `sub` other than `iss`, `aud` other than the token
 * endpoint, an expired assertion or one valid for more than five minutes, and a reused `jti`.
 * https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html
 */
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose'
import type { ClientRegistry, RegisteredClient } from './clients.js'
import { OAuthError } from './oauth-error.js'

export const ASSERTION_ALGORITHMS = ['RS384', 'ES384', 'RS512']
/** SMART: the assertion's `exp` is no more than five minutes in the future. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300
/** Clock difference tolerated between client and gateway. */
export const CLOCK_TOLERANCE_SECONDS = 30

export interface AssertionCheck {
  readonly clients: ClientRegistry
  /** The token endpoint's URL: the only `aud` accepted. */
  readonly tokenUrl: string
  /** Records a jti; false when it was used before (src/store/used-jti.ts). */
  readonly claimJti: (clientId: string, jti: string, expiresAt: Date) => Promise<boolean>
  readonly now?: () => Date
}

export async function verifyClientAssertion (assertion: string, check: AssertionCheck): Promise<RegisteredClient> {
  const now = check.now?.() ?? new Date()
  const { header, claims } = decodeUnverified(assertion)
  if (typeof header.alg !== 'string' || !ASSERTION_ALGORITHMS.includes(header.alg)) {
    throw new OAuthError('invalid_client', `The client assertion must be signed with ${ASSERTION_ALGORITHMS.join(', ')}; its alg is not accepted`)
  }
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw new OAuthError('invalid_client', 'The client assertion header must name the signing key (kid)')
  }
  const clientId = claims.iss
  const client = typeof clientId === 'string' ? check.clients.get(clientId) : undefined
  if (client === undefined) throw new OAuthError('invalid_client', 'The client assertion iss is not a registered client')
  if (claims.sub !== clientId) throw new OAuthError('invalid_client', 'The client assertion sub must equal its iss (the client id)')

  let payload: JWTPayload
  try {
    ({ payload } = await jwtVerify(assertion, client.keys, {
      algorithms: ASSERTION_ALGORITHMS,
      audience: check.tokenUrl,
      issuer: client.clientId,
      subject: client.clientId,
      requiredClaims: ['exp', 'jti'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: now
    }))
  } catch (err) {
    throw new OAuthError('invalid_client', describeFailure(err, check.tokenUrl))
  }

  const exp = payload.exp ?? 0
  const nowSeconds = Math.floor(now.getTime() / 1000)
  const tooLong = exp - nowSeconds > MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS ||
    (typeof payload.iat === 'number' && exp - payload.iat > MAX_ASSERTION_LIFETIME_SECONDS)
  if (tooLong) throw new OAuthError('invalid_client', `The client assertion may be valid for at most ${MAX_ASSERTION_LIFETIME_SECONDS} seconds`)
  const jti = payload.jti
  if (typeof jti !== 'string' || jti === '' || jti.length > 256) throw new OAuthError('invalid_client', 'The client assertion needs a jti of at most 256 characters')
  // Kept until the assertion could no longer pass the exp check, tolerance included.
  const claimed = await check.claimJti(client.clientId, jti, new Date((exp + CLOCK_TOLERANCE_SECONDS) * 1000))
  if (!claimed) throw new OAuthError('invalid_client', 'The client assertion jti has been used before; sign a new assertion for each token request')
  return client
}

function decodeUnverified (assertion: string): { header: ReturnType<typeof decodeProtectedHeader>, claims: JWTPayload } {
  try {
    return { header: decodeProtectedHeader(assertion), claims: decodeJwt(assertion) }
  } catch {
    throw new OAuthError('invalid_client', 'The client assertion is not a signed JWT')
  }
}

/** What went wrong, in words that quote nothing from the assertion. */
function describeFailure (err: unknown, tokenUrl: string): string {
  if (err instanceof errors.JWTExpired) return 'The client assertion has expired'
  if (err instanceof errors.JWKSNoMatchingKey) return 'The client assertion kid names no key registered for this client'
  if (err instanceof errors.JWKSMultipleMatchingKeys) return 'The client assertion kid matches several registered keys'
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'The client assertion signature does not verify with the registered key'
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) return 'The client\'s registered JWKS could not be fetched'
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return `The client assertion aud must be the token endpoint ${tokenUrl}`
    return `The client assertion claim ${err.claim} is missing or invalid`
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return `The client assertion must be signed with ${ASSERTION_ALGORITHMS.join(', ')}`
  return 'The client assertion could not be verified'
}
