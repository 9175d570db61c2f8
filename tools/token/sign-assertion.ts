/**
 * What a SMART Backend Services client does to get a token: sign a one-time client assertion with
 * its private key and post it to the token endpoint. Used by `npm run token`.
 */
import { randomUUID } from 'node:crypto'
import { importJWK, SignJWT, type JWK } from 'jose'

export async function signClientAssertion (clientId: string, privateJwk: JWK, tokenUrl: string): Promise<string> {
  const alg = privateJwk.alg ?? 'ES384'
  return await new SignJWT({})
    .setProtectedHeader({ alg, kid: privateJwk.kid ?? '', typ: 'JWT' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(tokenUrl)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('4m')
    .sign(await importJWK(privateJwk, alg))
}

export interface TokenAnswer {
  readonly access_token?: string
  readonly error?: string
  readonly error_description?: string
}

export async function requestToken (tokenUrl: string, assertion: string, scope: string | undefined): Promise<TokenAnswer> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion
  })
  if (scope !== undefined) form.set('scope', scope)
  const res = await fetch(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })
  return await res.json() as TokenAnswer
}
