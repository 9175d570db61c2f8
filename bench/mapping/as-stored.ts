/**
 * A mapped transaction Bundle's resources as the transaction validates them: references to an
 * entry's urn:uuid fullUrl already rewritten to Type/id (src/fhir/bundle/rewrite-references.ts
 * does this inside the transaction, with the store), one JSON round trip per Bundle.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes'

export function resourcesAsStored (bundle: Bundle): Resource[] {
  const ids = new Map((bundle.entry ?? []).flatMap(e => e.fullUrl === undefined || e.resource === undefined ? [] : [[e.fullUrl, `${e.resource.resourceType}/${e.fullUrl.slice('urn:uuid:'.length)}`] as const]))
  const text = JSON.stringify((bundle.entry ?? []).map(e => e.resource)).replace(/"urn:uuid:[0-9a-f-]{36}"/g, urn => JSON.stringify(ids.get(urn.slice(1, -1)) ?? urn.slice(1, -1)))
  return JSON.parse(text) as Resource[]
}
