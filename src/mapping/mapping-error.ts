/**
 * The problems a mapping finds in a payload, each at a JSON Pointer of the payload. They become one
 * 400 OperationOutcome listing every problem (GatewayError 'invalid'), with the pointer in
 * `issue.location` and in the text, since a non-FHIR payload has no FHIRPath expression.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes'
import { GatewayError } from '../errors.js'

export interface PayloadProblem {
  /** JSON Pointer of the offending value ('' for the payload as a whole). */
  readonly pointer: string
  readonly message: string
}

export function payloadIssue (problem: PayloadProblem): OperationOutcomeIssue {
  const where = problem.pointer === '' ? 'the payload' : problem.pointer
  return {
    severity: 'error',
    code: 'invalid',
    details: { text: `${where}: ${problem.message}` },
    location: [problem.pointer === '' ? '/' : problem.pointer]
  }
}

export function payloadError (mappingName: string, problems: readonly PayloadProblem[]): GatewayError {
  return new GatewayError('invalid', `The payload does not fit mapping ${mappingName}`, { issues: problems.map(payloadIssue) })
}

/** A mapping folder that cannot be loaded: start-up stops with this message (file and line). */
export class MappingLoadError extends Error {
  override readonly name = 'MappingLoadError'
}
