/**
 * The token endpoint's logic, framework-free: a client_credentials grant authenticated by a signed
 * client assertion (SMART Backend Services) becomes an access token with the scopes the client
 * asked for and was granted. Every refusal is an OAuthError (RFC 6749 section 5.2).
 */
import { issueAccessToken, type IssuedToken, type TokenSettings } from './access-token.js'
import { verifyClientAssertion, type AssertionCheck } from './client-assertion.js'
import { OAuthError } from './oauth-error.js'
import { grantScopes } from './scopes.js'

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

export interface TokenExchange extends AssertionCheck {
  readonly tokens: TokenSettings
}

export async function exchangeClientCredentials (form: URLSearchParams, exchange: TokenExchange): Promise<IssuedToken> {
  const single = (name: string): string | undefined => {
    const values = form.getAll(name)
    if (values.length > 1) throw new OAuthError('invalid_request', `The parameter ${name} is given more than once`)
    return values[0]
  }
  const grantType = single('grant_type')
  if (grantType === undefined) throw new OAuthError('invalid_request', 'grant_type is required (client_credentials)')
  if (grantType !== 'client_credentials') throw new OAuthError('unsupported_grant_type', 'Only grant_type=client_credentials is supported')
  if (single('client_assertion_type') !== CLIENT_ASSERTION_TYPE) {
    throw new OAuthError('invalid_request', `client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`)
  }
  const assertion = single('client_assertion')
  if (assertion === undefined || assertion === '') throw new OAuthError('invalid_request', 'client_assertion is required')
  const scope = single('scope')
  const client = await verifyClientAssertion(assertion, exchange)
  const clientIdParam = single('client_id')
  if (clientIdParam !== undefined && clientIdParam !== client.clientId) {
    throw new OAuthError('invalid_client', 'client_id does not match the client assertion')
  }
  const requested = scope === undefined ? undefined : scope.split(' ').filter(s => s !== '')
  const granted = grantScopes(client.scopes, requested)
  if (granted.length === 0) throw new OAuthError('invalid_scope', 'None of the requested scopes is granted to this client')
  return await issueAccessToken(exchange.tokens, client, granted)
}
