/**
 * The one error type domain code throws. It carries a category, never an HTTP status:
 * fhir/outcome.ts alone turns categories into statuses and OperationOutcomes.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes'

export type ErrorCategory =
  | 'invalid' | 'unprocessable' | 'not-found' | 'gone' | 'conflict' | 'precondition-failed'
  | 'method-not-allowed' | 'not-acceptable' | 'unsupported-media-type' | 'too-large'
  | 'not-supported' | 'unavailable' | 'fault'
  | 'unauthenticated' | 'forbidden' | 'too-many-requests'

export interface GatewayErrorOptions {
  readonly issues?: OperationOutcomeIssue[]
  /** FHIRPath expression of the offending element, for a single-issue error. */
  readonly expression?: string
  readonly cause?: unknown
}

export class GatewayError extends Error {
  override readonly name = 'GatewayError'
  readonly category: ErrorCategory
  readonly issues: OperationOutcomeIssue[] | undefined
  readonly expression: string | undefined

  constructor (category: ErrorCategory, message: string, options: GatewayErrorOptions = {}) {
    super(message, { cause: options.cause })
    this.category = category
    this.issues = options.issues
    this.expression = options.expression
  }
}
