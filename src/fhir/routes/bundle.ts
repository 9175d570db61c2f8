/** POST [base] with a batch or transaction Bundle: https://hl7.org/fhir/R4/http.html#transaction */
import type { FastifyInstance } from 'fastify'
import type { RequestContext } from '../interactions/request-context.js'
import { processBundle } from '../bundle/process-bundle.js'
import { parseReturnPreference } from '../http.js'
import type { FhirRouteDeps } from './deps.js'
import { FHIR_JSON } from './reply.js'
import { requestContextOf } from './request-context-of.js'

/** Large enough for a whole referral journey; a bigger load belongs in bulk import. */
const MAX_BUNDLE_ENTRIES = 1000

export function bundleRoute (app: FastifyInstance, deps: FhirRouteDeps): void {
  app.post('/', async (request, reply) => {
    const context: RequestContext = { caller: request.caller, requestId: request.id }
    const sourceIp = request.ip
    const bundle = await processBundle(deps.ctx, deps.db, request.body, {
      fhirBaseUrl: deps.fhirBaseUrl,
      returnResources: parseReturnPreference(request.headers.prefer) !== 'minimal',
      maxEntries: MAX_BUNDLE_ENTRIES,
      // A transaction's AuditEvent commits with it; a batch's entries each commit with their own.
      audit: {
        committed: async (tx, interaction, status, entities) => {
          await deps.audit.inTransaction(tx, { request: context, interaction, status, entities, sourceIp })
        },
        failed: async (interaction, status, entities) => {
          await deps.audit.onItsOwn({ request: context, interaction, status, entities, sourceIp })
        }
      }
    }, context)
    request.auditRecorded = true
    return await reply.type(FHIR_JSON).send(bundle)
  })
}
