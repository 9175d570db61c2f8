/**
 * Measure/{id}/$evaluate-measure for the ICS dashboard's participant-profile measure, GET (query)
 * and POST (Parameters): https://hl7.org/fhir/R4/measure-operation-evaluate-measure.html
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { CapabilityStatementRestResourceOperation } from '@medplum/fhirtypes'
import { GatewayError } from '../../errors.js'
import { evaluateMeasureInput } from '../../dashboard/evaluate-input.js'
import { PARTICIPANT_PROFILE_MEASURE, evaluateParticipantProfile } from '../../dashboard/participant-profile-measure.js'
import type { FhirRouteDeps } from './deps.js'
import { queryOf } from './history.js'
import { FHIR_JSON } from './reply.js'

export const MEASURE_OPERATIONS: Readonly<Record<string, CapabilityStatementRestResourceOperation[]>> = {
  Measure: [{ name: 'evaluate-measure', definition: 'http://hl7.org/fhir/OperationDefinition/Measure-evaluate-measure' }]
}

export function evaluateMeasureRoutes (app: FastifyInstance, deps: FhirRouteDeps): void {
  const handler = async (request: FastifyRequest<{ Params: { id: string } }>): Promise<unknown> => {
    if (request.params.id !== PARTICIPANT_PROFILE_MEASURE.id) {
      throw new GatewayError('not-found', `Measure/${request.params.id} is not a measure this server evaluates`)
    }
    const input = evaluateMeasureInput(queryOf(request), request.body)
    return await evaluateParticipantProfile(deps.db, deps.ctx.search, deps.imdLookup, input, deps.ctx.now())
  }
  for (const method of ['GET', 'POST'] as const) {
    app.route<{ Params: { id: string } }>({
      method,
      url: '/Measure/:id/$evaluate-measure',
      handler: async (request, reply) => await reply.type(FHIR_JSON).send(await handler(request))
    })
  }
}
