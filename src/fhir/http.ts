/** FHIR HTTP conventions: ETag, Last-Modified, Location, Prefer and content negotiation. */
import { GatewayError } from '../errors.js'

export type ReturnPreference = 'minimal' | 'representation' | 'OperationOutcome'

/** Prefer: return=… (https://hl7.org/fhir/R4/http.html#ops); representation when absent. */
export function parseReturnPreference (prefer: string | string[] | undefined): ReturnPreference {
  const header = Array.isArray(prefer) ? prefer.join(',') : prefer ?? ''
  const match = /(?:^|[,;\s])return=("?)(minimal|representation|OperationOutcome)\1/.exec(header)
  return (match?.[2] as ReturnPreference | undefined) ?? 'representation'
}

export function etag (versionId: number): string {
  return `W/"${versionId}"`
}

export function httpDate (instant: string): string {
  return new Date(instant).toUTCString()
}

const JSON_MEDIA_TYPES = new Set(['*/*', 'application/*', 'application/json', 'application/fhir+json', 'application/json+fhir'])
const JSON_FORMATS = new Set(['json', 'application/json', 'application/fhir+json', 'application/json+fhir'])

/** Refuses requests that ask for a response format other than JSON (XML, Turtle, HTML). */
export function checkAcceptable (accept: string | undefined, format: string | undefined): void {
  if (format !== undefined && !JSON_FORMATS.has(format.trim())) {
    throw new GatewayError('not-acceptable', `_format=${format} is not supported: this server speaks JSON only`, { expression: '_format' })
  }
  if (accept === undefined || accept.trim() === '') return
  const ranges = accept.split(',').map(range => range.split(';')[0]?.trim().toLowerCase() ?? '')
  if (!ranges.some(range => JSON_MEDIA_TYPES.has(range))) {
    throw new GatewayError('not-acceptable', 'Accept names no format this server produces: use application/fhir+json', { expression: 'Accept' })
  }
}
