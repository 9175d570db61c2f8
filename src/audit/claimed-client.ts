/**
 * The client id an unauthenticated request claimed, for the audit of a failed (or successful)
 * authentication: a token request's assertion `iss` (or `client_id`), a bearer token's
 * `client_id`/`sub`. Read without verifying anything, since the point is to record who tried;
 * the token or assertion itself is never kept. Only a short, id-shaped value is taken, so a
 * forged claim cannot carry arbitrary text into the trail.
 */
import { decodeJwt } from 'jose'

const CLIENT_ID_SHAPE = /^[A-Za-z0-9._:@-]{1,128}$/

export function claimedClientId (authorization: string | undefined, body: unknown): string | undefined {
  if (body instanceof URLSearchParams) {
    const assertion = body.get('client_assertion')
    const claimed = assertion === null ? body.get('client_id') : claimOf(assertion, ['iss', 'sub'])
    return idShaped(claimed)
  }
  const token = /^Bearer +(\S+)$/i.exec(authorization ?? '')?.[1]
  return token === undefined ? undefined : idShaped(claimOf(token, ['client_id', 'sub']))
}

function claimOf (jwt: string, names: string[]): unknown {
  try {
    const claims = decodeJwt(jwt)
    return names.map(name => claims[name]).find(value => typeof value === 'string')
  } catch {
    return undefined // not a JWT at all: nothing claimed
  }
}

function idShaped (value: unknown): string | undefined {
  return typeof value === 'string' && CLIENT_ID_SHAPE.test(value) ? value : undefined
}
