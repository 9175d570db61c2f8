/** Liveness (/healthz: the process answers) and readiness (/readyz: the database answers). */
import type { FastifyInstance } from 'fastify'
import type { Database } from '../store/database.js'

export async function healthRoutes (app: FastifyInstance, options: { readonly db: Database }): Promise<void> {
  app.get('/healthz', { config: { public: true } }, async () => ({ status: 'ok' }))
  app.get('/readyz', { config: { public: true } }, async (request, reply) => {
    try {
      await options.db.query('SELECT 1')
      return { status: 'ready' }
    } catch (err) {
      request.log.warn({ err }, 'database not reachable')
      return await reply.code(503).send({ status: 'unavailable' })
    }
  })
}
