/**
 * Server-owned parts of a resource: id, meta.versionId and meta.lastUpdated are always set by
 * the server (https://hl7.org/fhir/R4/resource.html#Meta), whatever the client sent.
 */
import type { Resource } from '@medplum/fhirtypes'
import { GatewayError } from '../../errors.js'

export function stampResource (resource: Resource, id: string, versionId: number, lastUpdated: string): Resource {
  const { resourceType, id: _ignoredId, meta, ...rest } = resource
  return {
    resourceType,
    id,
    meta: { ...meta, versionId: String(versionId), lastUpdated },
    ...rest
  } as Resource
}

/** Checks that a request body is a resource of the type the URL names. */
export function asResourceOfType (body: unknown, type: string): Resource {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new GatewayError('invalid', 'The request body must be a FHIR resource (a JSON object)')
  }
  const resourceType = (body as { resourceType?: unknown }).resourceType
  if (resourceType !== type) {
    throw new GatewayError('invalid', `The body's resourceType (${String(resourceType)}) does not match the URL (${type})`, { expression: 'resourceType' })
  }
  return body as Resource
}

/** Parses an If-Match header (W/"3" or "3") into a version number. */
export function parseIfMatch (header: string | undefined): number | undefined {
  if (header === undefined) return undefined
  const match = /^(?:W\/)?"(\d+)"$/.exec(header.trim())
  if (match === null) throw new GatewayError('invalid', 'If-Match must be a version ETag such as W/"3"', { expression: 'If-Match' })
  return Number(match[1])
}
