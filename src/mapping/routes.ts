/**
 * The inbound HTTP API (docs/mappings.md):
 *   POST /inbound/<mapping>                      a payload in its own format → stored FHIR (201)
 *   GET  /inbound/dead-letter                    failed payloads, metadata only, newest first
 *   POST /inbound/dead-letter/<id>/$replay       run a failed payload again with today's mapping
 * Bodies are read as text: the exact bytes are hashed, parsed by the mapping's format and, on
 * failure, sealed into the dead-letter store. Nothing about a payload is ever logged.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { GatewayError } from '../errors.js'
import { FHIR_JSON } from '../fhir/routes/reply.js'
import { listDeadLetters, readDeadLetter } from '../store/dead-letters.js'
import { requestContextOf } from '../fhir/routes/request-context-of.js'
import { requestAuditFacts } from '../audit/plugin.js'
import { locationEntity } from '../fhir/bundle/entry-audit.js'
import type { InboundAudit } from './inbound.js'
import { receiveInbound, replayDeadLetter, type InboundAnswer, type InboundDeps } from './inbound.js'

/** Header naming the sending system when the request carries no authenticated client. */
export const SENDER_HEADER = 'x-sender'
const TOKEN = /^[\x21-\x7e]{1,255}$/

export async function inboundPlugin (app: FastifyInstance, deps: InboundDeps): Promise<void> {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(['application/json', 'application/fhir+json', 'text/csv', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => {
    done(null, body)
  })

  // Dead letters hold every sender's payloads: an admin's to list and replay. The payload route
  // needs only a token here; what its mapped Bundle writes is checked against the scopes once
  // the payload is mapped (inbound.ts).
  const adminOnly = { config: { scopeNeeds: () => [] }, preHandler: requireAdmin }
  const anyClient = { config: { scopeNeeds: () => [] } }

  app.get<{ Querystring: Record<string, string | undefined> }>('/dead-letter', adminOnly, async (request, reply) => {
    const query = request.query
    const limit = Math.min(200, Math.max(1, Number.parseInt(query._count ?? '50', 10) || 50))
    const before = query.before === undefined ? undefined : await readDeadLetter(deps.db, query.before)
    if (query.before !== undefined && before === undefined) throw new GatewayError('invalid', `before names no dead letter: ${query.before}`, { expression: 'before' })
    const items = await listDeadLetters(deps.db, {
      limit,
      ...(query.mapping === undefined ? {} : { mapping: query.mapping }),
      ...(query.pending === 'true' ? { pending: true } : {}),
      ...(before === undefined ? {} : { before: { receivedAt: before.receivedAt, id: before.id } })
    })
    const last = items.at(-1)
    const next = items.length === limit && last !== undefined
      ? `/inbound/dead-letter?${new URLSearchParams({ ...pick(query, ['mapping', 'pending', '_count']), before: last.id }).toString()}`
      : undefined
    return await reply.type('application/json').send({ items, ...(next === undefined ? {} : { next }) })
  })

  app.post<{ Params: { id: string } }>('/dead-letter/:id/$replay', adminOnly, async (request, reply) => {
    return await answer(request, reply, await replayDeadLetter(deps, request.params.id, requestContextOf(request), auditedIn(request)))
  })

  app.post<{ Params: { mapping: string }, Querystring: { partial?: string } }>('/:mapping', anyClient, async (request, reply) => {
    const body = request.body
    if (typeof body !== 'string' || body.length === 0) throw new GatewayError('invalid', 'The request has no payload')
    const idempotencyKey = headerValue(request, 'idempotency-key')
    if (idempotencyKey !== undefined && !TOKEN.test(idempotencyKey)) throw new GatewayError('invalid', 'Idempotency-Key must be 1 to 255 visible ASCII characters')
    return await answer(request, reply, await receiveInbound(deps, {
      mappingName: request.params.mapping,
      body,
      sender: senderOf(request),
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      ...(request.query.partial === 'true' ? { partial: true } : {}),
      context: requestContextOf(request),
      auditInTransaction: auditedIn(request)
    }))
  })

  /** The request's AuditEvent, naming every resource the payload wrote, commits with them. */
  function auditedIn (request: FastifyRequest): InboundAudit | undefined {
    const trail = deps.audit
    if (trail === undefined) return undefined
    return {
      record: (stored) => {
        const entities = (stored.entry ?? []).flatMap(entry => locationEntity(entry.response?.location) ?? [])
        const facts = requestAuditFacts(request, 201, entities)
        return facts === undefined ? undefined : trail.record(facts)
      },
      // The audit plugin's onSend hook would otherwise write a second record after the commit.
      recorded: () => { request.auditRecorded = true }
    }
  }
}

function requireAdmin (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void {
  done(request.caller.role === 'admin' ? undefined : new GatewayError('forbidden', 'Only an admin client may list or replay dead letters'))
}

/** The authenticated client when there is one; otherwise the sender header, or the caller's id. */
function senderOf (request: FastifyRequest): string {
  const caller = request.caller
  if (caller?.tokenId !== undefined) return caller.clientId
  const header = headerValue(request, SENDER_HEADER)
  if (header === undefined) return caller?.clientId ?? 'unknown'
  if (!TOKEN.test(header)) throw new GatewayError('invalid', 'X-Sender must be 1 to 255 visible ASCII characters')
  return header
}

async function answer (request: FastifyRequest, reply: FastifyReply, result: InboundAnswer): Promise<FastifyReply> {
  if (result.status >= 500) request.log.error({ err: result.error, deadLetterId: result.deadLetterId }, 'inbound payload failed')
  else if (result.status >= 400) request.log.info({ statusCode: result.status, deadLetterId: result.deadLetterId }, 'inbound payload rejected')
  if (result.deadLetterId !== undefined) void reply.header('X-Dead-Letter-Id', result.deadLetterId)
  if (result.replayed) void reply.header('Idempotent-Replayed', 'true')
  return await reply.code(result.status).type(FHIR_JSON).send(result.body)
}

function headerValue (request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function pick (query: Record<string, string | undefined>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.flatMap(k => query[k] === undefined ? [] : [[k, query[k] as string]]))
}
