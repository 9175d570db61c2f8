/**
 * What every answer to a hostile search must satisfy: never a 5xx; a 4xx is an OperationOutcome
 * with an issue naming a parameter that was sent.
 */
import type { OperationOutcome } from '@medplum/fhirtypes'
import type { FuzzRequest, Vocabulary } from './fuzz-arbitraries.js'

export interface Answer { readonly status: number, readonly body: string }

/** The searchable types and their parameters, as the CapabilityStatement declares them. */
export function vocabularyOf (metadata: { rest: Array<{ resource: Array<{ type: string, searchParam?: Array<{ name: string, type: string }> }> }> }): Vocabulary {
  const params = new Map<string, Array<{ name: string, type: string }>>()
  for (const resource of metadata.rest[0]?.resource ?? []) {
    params.set(resource.type, (resource.searchParam ?? []).map(p => ({ name: p.name, type: p.type })))
  }
  return { params, types: [...params.keys()] }
}

/** The parameters as the server reads them (it parses the raw query with URLSearchParams). */
export function sentParams (request: FuzzRequest): Array<[string, string]> {
  return [...new URLSearchParams(request.raw)]
}

/** Undefined when the answer is acceptable; otherwise what is wrong with it. */
export function problemWith (request: FuzzRequest, answer: Answer): string | undefined {
  if (answer.status >= 500) return `answered ${answer.status}: ${answer.body.slice(0, 300)}`
  let body: { resourceType?: string }
  try {
    body = JSON.parse(answer.body) as { resourceType?: string }
  } catch {
    return `answered ${answer.status} with a body that is not JSON: ${answer.body.slice(0, 200)}`
  }
  if (answer.status === 200) return body.resourceType === 'Bundle' ? undefined : `200 but not a Bundle: ${answer.body.slice(0, 200)}`
  if (body.resourceType !== 'OperationOutcome') return `${answer.status} without an OperationOutcome: ${answer.body.slice(0, 200)}`
  const names = sentParams(request).map(([name]) => name)
  const issues = (body as OperationOutcome).issue ?? []
  const named = issues.some(issue => (issue.expression ?? []).some(e => names.some(n => expressionNames(n, e))) ||
    names.some(n => n.length > 1 && (issue.details?.text ?? '').includes(n)))
  return named ? undefined : `${answer.status} OperationOutcome names none of the parameters sent (${JSON.stringify(names)}): ${answer.body.slice(0, 300)}`
}

/** The expression is the parameter, or its tail after a ":" or "." (the inner part of a chain or _has). */
function expressionNames (parameter: string, expression: string): boolean {
  return parameter === expression || (expression !== '' && (parameter.endsWith(`:${expression}`) || parameter.endsWith(`.${expression}`)))
}
