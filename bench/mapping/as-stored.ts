/**
 * A mapped transaction Bundle's resources as the transaction validates them: references to an
 * entry's urn:uuid fullUrl rewritten to Type/id by the transaction's own walk
 * (src/fhir/bundle/rewrite-references.ts, which inside the transaction then resolves conditional
 * references with the store). In place, as there: each mapped Bundle is fresh and used once.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes'
import { rewriteFullUrlReferences } from '../../src/fhir/bundle/rewrite-references.js'

export function resourcesAsStored (bundle: Bundle): Resource[] {
  const ids = new Map((bundle.entry ?? []).flatMap(e => e.fullUrl === undefined || e.resource === undefined ? [] : [[e.fullUrl, `${e.resource.resourceType}/${e.fullUrl.slice('urn:uuid:'.length)}`] as const]))
  const resources = (bundle.entry ?? []).flatMap(e => e.resource === undefined ? [] : [e.resource])
  for (const [index, resource] of resources.entries()) rewriteFullUrlReferences(resource, ids, `Bundle.entry[${index}].resource`)
  return resources
}
