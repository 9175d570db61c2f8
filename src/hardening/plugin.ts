/**
 * A rate limit per client (@fastify/rate-limit, keyed by the authenticated client id, else by IP) answering 429
 * OperationOutcome with Retry-After. Registered after the auth plugin and before the routes:
 * the limit is applied per route (preParsing), once the caller is known and before any body is read.
 * CORS stays off: no Access-Control-* header is ever sent, so browsers keep other origins out.
 */
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import fastifyPlugin from 'fastify-plugin'
import type { RateLimitConfig } from '../config.js'
import { GatewayError } from '../errors.js'
import { ANONYMOUS_CALLER } from '../auth/request-caller.js'
import { UNRESTRICTED_CALLER } from '../auth/caller.js'

export interface HardeningOptions {
  readonly rateLimit: RateLimitConfig
}

export const hardeningPlugin = fastifyPlugin(async function hardening (app: FastifyInstance, options: HardeningOptions): Promise<void> {
  if (options.rateLimit.max === 0) return
  await app.register(rateLimit, {
    global: true,
    hook: 'preParsing',
    max: options.rateLimit.max,
    timeWindow: options.rateLimit.windowMs,
    // Limit headers only on the 429 itself: three more headers on every answer cost time and
    // tell a client nothing it needs before it is throttled.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    keyGenerator: (request) => {
      const caller = request.caller
      return caller === ANONYMOUS_CALLER || caller === UNRESTRICTED_CALLER ? `ip:${request.ip}` : `client:${caller.clientId}`
    },
    errorResponseBuilder: (_request, context) =>
      new GatewayError('too-many-requests', `Too many requests: at most ${context.max} per ${Math.round(options.rateLimit.windowMs / 1000)} s; retry in ${context.after}`)
  })
}, { name: 'hardening' })
