/** GET [base]/metadata: https://hl7.org/fhir/R4/http.html#capabilities */
import type { FastifyInstance } from 'fastify'
import type { FhirRouteDeps } from './deps.js'
import { FHIR_JSON } from './reply.js'

export function capabilitiesRoute (app: FastifyInstance, deps: FhirRouteDeps): void {
  const body = JSON.stringify(deps.capabilityStatement)
  app.get('/metadata', async (_request, reply) => await reply.type(FHIR_JSON).send(body))
}
