/**
 * Terminology operations: ValueSet/$expand, CodeSystem/$lookup, ValueSet/$validate-code and
 * CodeSystem/$validate-code, type and instance level, GET (query) and POST (Parameters).
 * Fastify prefers these static paths to the /:type/:id routes, so no id can shadow them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { CapabilityStatementRestResourceOperation } from '@medplum/fhirtypes'
import { expandValueSet, lookupCode, operationInput, validateCode } from '../../terminology/operations.js'
import type { FhirRouteDeps } from './deps.js'
import { queryOf } from './history.js'
import { FHIR_JSON } from './reply.js'

/** For the CapabilityStatement, by resource type. */
export const TERMINOLOGY_OPERATIONS: Readonly<Record<string, CapabilityStatementRestResourceOperation[]>> = {
  ValueSet: [
    { name: 'expand', definition: 'http://hl7.org/fhir/OperationDefinition/ValueSet-expand' },
    { name: 'validate-code', definition: 'http://hl7.org/fhir/OperationDefinition/ValueSet-validate-code' }
  ],
  CodeSystem: [
    { name: 'lookup', definition: 'http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup' },
    { name: 'validate-code', definition: 'http://hl7.org/fhir/OperationDefinition/CodeSystem-validate-code' }
  ]
}

export function terminologyRoutes (app: FastifyInstance, deps: FhirRouteDeps): void {
  const terminology = deps.ctx.terminology
  const input = (request: FastifyRequest): ReturnType<typeof operationInput> => operationInput(queryOf(request), request.body)
  const both = (url: string, handler: (request: FastifyRequest<{ Params: { id?: string } }>) => unknown): void => {
    for (const method of ['GET', 'POST'] as const) {
      app.route<{ Params: { id?: string } }>({ method, url, handler: async (request, reply) => await reply.type(FHIR_JSON).send(handler(request)) })
    }
  }
  both('/ValueSet/$expand', request => expandValueSet(terminology, input(request)))
  both('/ValueSet/:id/$expand', request => expandValueSet(terminology, input(request), request.params.id))
  both('/ValueSet/$validate-code', request => validateCode(terminology, input(request), 'ValueSet'))
  both('/ValueSet/:id/$validate-code', request => validateCode(terminology, input(request), 'ValueSet', request.params.id))
  both('/CodeSystem/$lookup', request => lookupCode(terminology, input(request)))
  both('/CodeSystem/$validate-code', request => validateCode(terminology, input(request), 'CodeSystem'))
}
