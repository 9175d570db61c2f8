/**
 * 405 Method Not Allowed for every FHIR path with a method it does not support, so a wrong
 * method is told apart from an unknown path (404).
 */
import type { FastifyInstance, HTTPMethods } from 'fastify'
import { GatewayError } from '../../errors.js'

const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

const ALLOWED: Record<string, HTTPMethods[]> = {
  '/': ['GET', 'POST'],
  '/metadata': ['GET'],
  '/:type': ['GET', 'POST', 'PUT'],
  '/:type/_search': ['POST'],
  '/:type/_history': ['GET'],
  '/:type/:id': ['GET', 'PUT', 'PATCH', 'DELETE'],
  '/:type/:id/_history': ['GET'],
  '/:type/:id/_history/:vid': ['GET']
}

export function notAllowedRoutes (app: FastifyInstance): void {
  for (const [url, allowed] of Object.entries(ALLOWED)) {
    const others = METHODS.filter(method => !allowed.includes(method))
    app.route({
      method: others,
      url,
      handler: async (request, reply) => {
        reply.header('Allow', allowed.join(', '))
        throw new GatewayError('method-not-allowed', `${request.method} is not allowed here; use ${allowed.join(', ')}`)
      }
    })
  }
}
