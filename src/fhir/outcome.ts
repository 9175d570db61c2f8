/**
 * The one place errors become HTTP statuses and OperationOutcomes. Only errors we raised
 * ourselves, or client errors with a 4xx status, may show their message; anything else is a
 * 500 with a generic text and the request id, so no stack trace or SQL ever reaches a client.
 */
import { getStatus, OperationOutcomeError } from '@medplum/core'
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes'
import { GatewayError, type ErrorCategory } from '../errors.js'

export const CATEGORY: Record<ErrorCategory, { readonly status: number, readonly code: OperationOutcomeIssue['code'] }> = {
  invalid: { status: 400, code: 'invalid' },
  unprocessable: { status: 422, code: 'processing' },
  'not-found': { status: 404, code: 'not-found' },
  gone: { status: 410, code: 'deleted' },
  conflict: { status: 409, code: 'conflict' },
  'precondition-failed': { status: 412, code: 'conflict' },
  'method-not-allowed': { status: 405, code: 'not-supported' },
  'not-acceptable': { status: 406, code: 'not-supported' },
  'unsupported-media-type': { status: 415, code: 'not-supported' },
  'too-large': { status: 413, code: 'too-costly' },
  'not-supported': { status: 400, code: 'not-supported' },
  unavailable: { status: 503, code: 'transient' },
  fault: { status: 500, code: 'exception' },
  unauthenticated: { status: 401, code: 'login' },
  forbidden: { status: 403, code: 'forbidden' },
  'too-many-requests': { status: 429, code: 'throttled' }
}

export interface Outcome {
  readonly status: number
  readonly outcome: OperationOutcome
  /** The category for logs: what went wrong, never the details. */
  readonly category: string
}

export function toOutcome (err: unknown, requestId?: string): Outcome {
  if (err instanceof GatewayError) {
    const { status, code } = CATEGORY[err.category]
    const issues = err.issues ?? [{
      severity: 'error',
      code,
      details: { text: err.message },
      ...(err.expression === undefined ? {} : { expression: [err.expression] })
    }]
    return { status, outcome: operationOutcome(issues), category: err.category }
  }
  if (err instanceof OperationOutcomeError) {
    const status = getStatus(err.outcome)
    if (status < 500) return { status, outcome: err.outcome, category: 'invalid' }
  }
  const clientError = clientErrorOf(err)
  if (clientError !== undefined) return clientError
  return {
    status: 500,
    category: 'fault',
    outcome: operationOutcome([{
      severity: 'error',
      code: 'exception',
      details: { text: `Internal server error${requestId === undefined ? '' : ` (request id ${requestId})`}` }
    }])
  }
}

/** Fastify's own 4xx errors (bad JSON, body too large, unsupported media type, bad header). */
function clientErrorOf (err: unknown): Outcome | undefined {
  const { statusCode, code, message } = (err ?? {}) as { statusCode?: unknown, code?: unknown, message?: unknown }
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined
  const issueCode: OperationOutcomeIssue['code'] = statusCode === 413 ? 'too-costly' : statusCode === 415 ? 'not-supported' : 'invalid'
  const text = code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
    ? 'Unsupported media type: send application/fhir+json or application/json'
    : code === 'FST_ERR_CTP_BODY_TOO_LARGE'
      ? 'Request body is larger than the configured limit'
      : typeof message === 'string' ? message : 'Bad request'
  return { status: statusCode, category: typeof code === 'string' ? code : 'client-error', outcome: operationOutcome([{ severity: 'error', code: issueCode, details: { text } }]) }
}

export function operationOutcome (issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues }
}

export function informational (text: string, warnings: OperationOutcomeIssue[] = []): OperationOutcome {
  return operationOutcome([{ severity: 'information', code: 'informational', details: { text } }, ...warnings])
}
