/**
 * Gives every request a `caller` (src/auth/caller.ts) and enforces access tokens and scopes.
 * Authentication (onRequest): every route needs a valid bearer token unless it is marked
 * `config: { public: true }` (metadata, health, discovery, the token endpoint); a missing or bad
 * token is 401 with WWW-Authenticate. Authorisation (preHandler, after the body is parsed so a
 * Bundle's entries can be checked): the token's scopes must cover what the request does; FHIR
 * routes are mapped in fhir-interactions.ts, any other route names its needs in
 * `config: { scopeNeeds }`, and a route that does neither is 403: new routes start closed.
 * With AUTH_DISABLED=true every request is UNRESTRICTED_CALLER and nothing is checked.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fastifyPlugin from 'fastify-plugin'
import { GatewayError } from '../errors.js'
import { InvalidTokenError, type Authenticated } from './access-token.js'
import { UNRESTRICTED_CALLER, type Caller } from './caller.js'
import { fhirScopeNeeds, type ScopeNeed } from './fhir-interactions.js'
import { scopesAllow } from './scopes.js'
import type { AuthSetup } from './setup.js'

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller
  }
  interface FastifyContextConfig {
    /** Answered without a token. */
    public?: boolean
    /** The scopes a route outside /fhir needs (e.g. an inbound mapping's creates). */
    scopeNeeds?: (request: FastifyRequest) => ScopeNeed[]
  }
}

/**
 * The caller of a public route or an unmatched path: no client, no scopes, and the narrowest
 * role, so code that wrongly consults it on a public route can grant nothing.
 */
export const ANONYMOUS_CALLER: Caller = Object.freeze({
  clientId: 'anonymous',
  role: 'dashboard',
  scopes: Object.freeze([]),
  identifiable: false
})

export interface RequestCallerOptions {
  /** Undefined when authentication is disabled. */
  readonly auth: AuthSetup | undefined
  readonly fhirBaseUrl: string
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i
const FHIR_PREFIX = '/fhir'

export const requestCallerPlugin = fastifyPlugin(async function requestCaller (app: FastifyInstance, options: RequestCallerOptions): Promise<void> {
  // Fastify refuses a shared object as a decorator default; each request gets it in a hook.
  app.decorateRequest('caller', null as unknown as Caller)
  const auth = options.auth
  if (auth === undefined) {
    app.addHook('onRequest', (request, _reply, done) => {
      request.caller = UNRESTRICTED_CALLER
      done()
    })
    return
  }

  const allowedOf = new WeakMap<FastifyRequest, Authenticated>()
  const challenge = `Bearer realm="${options.fhirBaseUrl}"`

  // Callback style: it runs on every request, and an async hook costs a promise each time.
  app.addHook('onRequest', (request, reply, done) => {
    request.caller = ANONYMOUS_CALLER
    if (isPublic(request)) { done(); return }
    const header = request.headers.authorization
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined
    if (token === undefined) {
      reply.header('WWW-Authenticate', challenge)
      done(new GatewayError('unauthenticated', header === undefined
        ? 'This request needs an access token: Authorization: Bearer <token> (see /.well-known/smart-configuration)'
        : 'The Authorization header must be Bearer <token>'))
      return
    }
    const known = auth.verifier.cached(token)
    if (known !== undefined) {
      request.caller = known.caller
      allowedOf.set(request, known)
      done()
      return
    }
    auth.verifier.verify(token).then((authenticated) => {
      request.caller = authenticated.caller
      allowedOf.set(request, authenticated)
      done()
    }, (err: unknown) => {
      const description = err instanceof InvalidTokenError ? err.message : 'The access token is not valid'
      reply.header('WWW-Authenticate', `${challenge}, error="invalid_token", error_description="${description}"`)
      done(new GatewayError('unauthenticated', description))
    })
  })

  app.addHook('preHandler', (request, _reply, done) => {
    const authenticated = allowedOf.get(request)
    if (authenticated === undefined) { done(); return } // public route
    const needs = needsOf(request, options.fhirBaseUrl)
    if (needs === undefined) {
      done(new GatewayError('forbidden', 'This route declares no scopes, so no token may use it'))
      return
    }
    const missing = needs.find(need => !scopesAllow(authenticated.allowed, need.type, need.interaction))
    done(missing === undefined
      ? undefined
      : new GatewayError('forbidden', `The access token's scopes do not allow this: it needs system/${missing.type}.${missing.interaction}`))
  })
}, { name: 'request-caller' })

/** Public routes, and paths no route matches (their 404 reveals nothing). */
function isPublic (request: FastifyRequest): boolean {
  return request.routeOptions.url === undefined || request.routeOptions.config.public === true || request.routeOptions.url === `${FHIR_PREFIX}/metadata`
}

function needsOf (request: FastifyRequest, fhirBaseUrl: string): ScopeNeed[] | undefined {
  const url = request.routeOptions.url ?? ''
  if (url === FHIR_PREFIX || url.startsWith(`${FHIR_PREFIX}/`)) {
    const at = request.url.indexOf('?')
    return fhirScopeNeeds({
      route: url.slice(FHIR_PREFIX.length) || '/',
      method: request.method,
      params: request.params as Record<string, string | undefined>,
      query: new URLSearchParams(at < 0 ? '' : request.url.slice(at + 1)),
      conditionalCreate: request.headers['if-none-exist'] !== undefined,
      body: request.body,
      fhirBaseUrl
    })
  }
  return request.routeOptions.config.scopeNeeds?.(request)
}
