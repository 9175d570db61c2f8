/**
 * The OAuth side of the gateway: POST /auth/token (SMART Backend Services client_credentials),
 * the SMART discovery document (at the root and under the FHIR base, where SMART clients look)
 * and the JWKS of the gateway's token-signing key. All are public; token errors are OAuth JSON.
 */
import type { FastifyError, FastifyInstance } from 'fastify'
import { ASSERTION_ALGORITHMS } from './client-assertion.js'
import { OAuthError } from './oauth-error.js'
import type { AuthSetup } from './setup.js'
import { exchangeClientCredentials } from './token-exchange.js'

export interface AuthRoutesOptions {
  readonly auth: AuthSetup
  readonly baseUrl: string
}

/** An assertion is a few kilobytes; nothing larger belongs in a token request. */
const TOKEN_BODY_LIMIT = 16 * 1024

export async function authRoutes (app: FastifyInstance, options: AuthRoutesOptions): Promise<void> {
  const { auth, baseUrl } = options
  const jwksUri = `${baseUrl}/.well-known/jwks.json`
  const discovery = {
    issuer: baseUrl,
    token_endpoint: auth.tokenUrl,
    jwks_uri: jwksUri,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    scopes_supported: ['system/*.cruds', 'system/*.rs'],
    capabilities: ['client-confidential-asymmetric', 'permission-v2', 'permission-v1']
  }
  const jwks = { keys: [auth.key.publicJwk] }

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: TOKEN_BODY_LIMIT }, (_request, body, done) => {
    done(null, new URLSearchParams(body as string))
  })

  // OAuth clients read OAuth errors (RFC 6749 section 5.2), whatever went wrong.
  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    void reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache')
    if (err instanceof OAuthError) {
      request.log.info({ error: err.error }, 'token request refused')
      return await reply.code(err.status).send(err.toJSON())
    }
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return await reply.code(400).send({ error: 'invalid_request', error_description: 'Send a form (application/x-www-form-urlencoded) of at most 16 KB' })
    }
    request.log.error({ err }, 'token request failed')
    return await reply.code(500).send({ error: 'server_error', error_description: `Internal server error (request id ${request.id})` })
  })

  app.post('/auth/token', { config: { public: true }, bodyLimit: TOKEN_BODY_LIMIT }, async (request, reply) => {
    const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams()
    if (!(request.body instanceof URLSearchParams)) throw new OAuthError('invalid_request', 'Send the token request as application/x-www-form-urlencoded')
    const token = await exchangeClientCredentials(form, auth.exchange)
    return await reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(token)
  })

  for (const url of ['/.well-known/smart-configuration', '/fhir/.well-known/smart-configuration']) {
    app.get(url, { config: { public: true } }, async () => discovery)
  }
  app.get('/.well-known/jwks.json', { config: { public: true } }, async () => jwks)
}
