/** The RequestContext (who asks, which request) an interaction is given for a Fastify request. */
import type { FastifyRequest } from 'fastify'
import type { RequestContext } from '../interactions/request-context.js'

export function requestContextOf (request: FastifyRequest): RequestContext {
  return { caller: request.caller, requestId: request.id }
}
