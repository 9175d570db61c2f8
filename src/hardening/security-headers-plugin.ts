/**
 * Security headers on every answer, set when the request arrives so answers that end early (401
 * from authentication, 404, 413, parse errors) carry them too: register it before anything that
 * can answer. CORS stays off: no Access-Control-* header is ever sent.
 */
import type { FastifyInstance } from 'fastify'
import fastifyPlugin from 'fastify-plugin'
import { securityHeadersOf } from './security-headers.js'

export const securityHeadersPlugin = fastifyPlugin(async function securityHeaders (app: FastifyInstance): Promise<void> {
  const headers = securityHeadersOf({
    // The gateway serves JSON to systems, not pages: no scripts, frames, styles or forms at all,
    // so none of helmet's page-oriented CSP defaults (script-src 'self' and the like) are wanted.
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-origin' }
  })
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers)
    done()
  })
}, { name: 'security-headers' })
