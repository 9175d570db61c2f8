/** POST [base] with a batch or transaction Bundle: https://hl7.org/fhir/R4/http.html#transaction */
import type { FastifyInstance } from 'fastify'
import { processBundle } from '../bundle/process-bundle.js'
import { parseReturnPreference } from '../http.js'
import type { FhirRouteDeps } from './deps.js'
import { FHIR_JSON } from './reply.js'
import { requestContextOf } from './request-context-of.js'

/** Large enough for a whole referral journey; a bigger load belongs in bulk import. */
const MAX_BUNDLE_ENTRIES = 1000

export function bundleRoute (app: FastifyInstance, deps: FhirRouteDeps): void {
  app.post('/', async (request, reply) => {
    const bundle = await processBundle(deps.ctx, deps.db, request.body, {
      fhirBaseUrl: deps.fhirBaseUrl,
      returnResources: parseReturnPreference(request.headers.prefer) !== 'minimal',
      maxEntries: MAX_BUNDLE_ENTRIES
    }, requestContextOf(request))
    return await reply.type(FHIR_JSON).send(bundle)
  })
}
