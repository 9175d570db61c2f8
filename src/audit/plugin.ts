/**
 * Audits every request that touches resources, and every failed authentication, before the
 * answer leaves: an onSend hook writes the AuditEvent for whatever the route did not already
 * record inside its own write transaction (reads, searches, operations, failures) and lets the
 * answer go only once that AuditEvent is committed. If it cannot be written, the client gets a
 * 500 instead of data nobody could account for.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fastifyPlugin from 'fastify-plugin'
import type { AuditedEntity, AuditedInteraction, AuditFacts } from './audit-facts.js'
import type { AuditTrail } from './audit-trail.js'
import { routeAudit } from './route-interactions.js'
import { claimedClientId } from './claimed-client.js'
import { toOutcome } from '../fhir/outcome.js'
import { readsAuditEvents } from './reads-audit-events.js'
import { startIdleMaterialiser, type IdleMaterialiserSettings } from './idle-materialiser.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set once this request's AuditEvent is written (or is being written with its data). */
    auditRecorded: boolean
  }
  interface FastifyContextConfig {
    /** The interaction a route that is not in route-interactions.ts performs, e.g. `operation`. */
    audit?: AuditedInteraction
  }
}

export interface AuditPluginOptions {
  readonly trail: AuditTrail
  readonly materialising: IdleMaterialiserSettings
}

export const auditPlugin = fastifyPlugin(async function audit (app: FastifyInstance, options: AuditPluginOptions): Promise<void> {
  const { trail } = options
  app.decorateRequest('auditRecorded', false)
  // Audit records become AuditEvents in bulk, later: whatever reads AuditEvents catches up first,
  // so it sees every request committed before it.
  app.addHook('preHandler', (request, _reply, done) => {
    if (!readsAuditEvents(request.method, request.url, request.body)) {
      done()
      return
    }
    trail.catchUp().then(() => { done() }, done)
  })
  const idle = startIdleMaterialiser(trail, options.materialising, (err) => { app.log.error({ err }, 'turning audit records into AuditEvents failed') })
  app.addHook('onRequest', (_request, _reply, done) => { idle.requestStarted(); done() })
  app.addHook('onResponse', (_request, _reply, done) => { idle.requestEnded(); done() })
  app.addHook('onClose', async () => { await idle.stop() })
  // Callback style: it runs on every request, and an async hook costs a promise each time.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.auditRecorded) {
      done(null, payload)
      return
    }
    const facts = requestAuditFacts(request, reply.statusCode)
    if (facts === undefined) {
      done(null, payload)
      return
    }
    request.auditRecorded = true
    trail.onItsOwn(facts).then(() => { done(null, payload) }, (err: unknown) => {
      // An error answer carries no data, so it may go unrecorded; anything else is withheld.
      request.log.error({ err }, reply.statusCode < 400 ? 'audit write failed; answer withheld' : 'audit write failed')
      done(null, reply.statusCode < 400 ? withheld(request, reply) : payload)
    })
  })
}, { name: 'audit' })

/** What the request did, as audit facts; undefined when it touched no resources. */
export function requestAuditFacts (request: FastifyRequest, status: number, entities?: AuditedEntity[]): AuditFacts | undefined {
  const routeUrl = request.routeOptions.url
  const declared = declaredInteraction(request)
  const described = routeAudit({
    method: request.method,
    routeUrl,
    params: (request.params ?? {}) as Record<string, string | undefined>,
    query: queryStringOf(request.url),
    body: request.body,
    ...(declared === undefined ? {} : { declared })
  })
  // A token request, and any refusal for want of valid credentials, is an authentication event.
  const authentication = routeUrl === '/auth/token' || status === 401 || (status === 403 && described === undefined)
  if (described === undefined && !authentication) return undefined
  return {
    request: { caller: request.caller, requestId: request.id },
    interaction: authentication ? 'login' : (described?.interaction ?? 'operation'),
    entities: entities ?? described?.entities ?? [],
    status,
    sourceIp: request.ip,
    ...(authentication ? claimOf(request) : {})
  }
}

/**
 * A route's own `config.audit`; otherwise a protected route outside the FHIR API (it declares
 * the scopes it needs, e.g. an inbound mapping) is audited as an operation.
 */
function declaredInteraction (request: FastifyRequest): AuditedInteraction | undefined {
  const config = request.routeOptions.config
  return config?.audit ?? (config?.scopeNeeds === undefined ? undefined : 'operation')
}

function claimOf (request: FastifyRequest): { claimedClientId?: string } {
  const claimed = claimedClientId(request.headers.authorization, request.body)
  return claimed === undefined ? {} : { claimedClientId: claimed }
}

function queryStringOf (url: string): string {
  const at = url.indexOf('?')
  return at < 0 ? '' : url.slice(at + 1)
}

/** Replaces an answer whose AuditEvent could not be committed by the generic 500. */
function withheld (request: FastifyRequest, reply: FastifyReply): string {
  reply.code(500)
  for (const header of ['etag', 'last-modified', 'location', 'content-location']) reply.removeHeader(header)
  reply.type('application/fhir+json; charset=utf-8')
  return JSON.stringify(toOutcome(new Error('audit write failed'), request.id).outcome)
}
