/**
 * Gives every request a `caller` (src/auth/caller.ts). This placeholder marks every request as
 * UNRESTRICTED_CALLER; the authentication plugin replaces it with the client its access token
 * names, so routes can pass `request.caller` down to the policy code from day one.
 */
import type { FastifyInstance } from 'fastify'
import fastifyPlugin from 'fastify-plugin'
import { UNRESTRICTED_CALLER, type Caller } from './caller.js'

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller
  }
}

export const requestCallerPlugin = fastifyPlugin(async function requestCaller (app: FastifyInstance): Promise<void> {
  // Fastify refuses a shared object as a decorator default; each request gets it in a hook.
  app.decorateRequest('caller', null as unknown as Caller)
  app.addHook('onRequest', (request, _reply, done) => {
    request.caller = UNRESTRICTED_CALLER
    done()
  })
}, { name: 'request-caller' })
