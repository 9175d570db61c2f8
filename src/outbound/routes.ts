/**
 * GET /outbound/<mapping>/ServiceRequest/<id>: a stored referral as an outbound mapping's
 * payload (a CRM record, a message or document for the GP), made on demand from the store.
 * Unknown mapping or referral: 404 OperationOutcome; deleted referral: 410.
 */
import type { FastifyInstance } from 'fastify'
import type { Database } from '../store/database.js'
import type { FhirContext } from '../fhir/interactions/context.js'
import type { MappingRegistry } from '../mapping/registry.js'
import { FHIR_JSON } from '../fhir/routes/reply.js'
import { produceOutbound } from './produce.js'
import type { ScopeNeed } from '../auth/fhir-interactions.js'
import { requestContextOf } from '../fhir/routes/request-context-of.js'

export interface OutboundRouteOptions {
  readonly db: Database
  readonly ctx: FhirContext
  readonly mappings: MappingRegistry
}

interface OutboundParams { readonly mapping: string, readonly id: string }

export async function outboundRoutes (app: FastifyInstance, options: OutboundRouteOptions): Promise<void> {
  // What the payload is made of: the referral, its patient, tasks, consent and outcomes.
  const scopeNeeds = (): ScopeNeed[] => ['ServiceRequest', 'Patient', 'Task', 'Consent', 'Observation'].map(type => ({ type, interaction: 'r' }))
  app.get<{ Params: OutboundParams }>('/outbound/:mapping/ServiceRequest/:id', { config: { scopeNeeds } }, async (request, reply) => {
    const { mapping, id } = request.params
    const result = await produceOutbound(options.ctx, options.db, options.mappings, mapping, id, requestContextOf(request))
    // Names and ids only: the payload itself is personal data and is never logged.
    request.log.info({ mapping: result.mapping.name, mappingVersion: result.mapping.version }, 'outbound payload made')
    return await reply
      .header('X-Mapping-Version', `${result.mapping.name}/${result.mapping.version}`)
      .type(result.fhir ? FHIR_JSON : 'application/json; charset=utf-8')
      .send(result.output)
  })
}
