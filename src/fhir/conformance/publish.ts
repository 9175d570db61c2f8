/**
 * Publishes the conformance resources under profiles/ (StructureDefinitions, ValueSets,
 * CodeSystems, SearchParameters, Questionnaires) into the store at start, under their file ids,
 * so the FHIR API serves them like any other resource (GET /StructureDefinition?url=…). Only new
 * or changed files are written; several gateways starting together serialise on a lock.
 */
import type { Resource } from '@medplum/fhirtypes'
import type { Database } from '../../store/database.js'
import { insertAllNew, lockKey, type NewResourceRow, readCurrent, replaceResource } from '../../store/resources.js'
import type { FhirContext } from '../interactions/context.js'
import { stampResource } from '../interactions/stamp.js'

/** Returns how many resources were written. Files are trusted: test/terminology checks they validate. */
export async function publishConformance (ctx: FhirContext, db: Database, resources: readonly Resource[]): Promise<number> {
  return await db.transaction(async (tx) => {
    await lockKey(tx, 'publish-conformance')
    const lastUpdated = ctx.now().toISOString()
    const fresh: NewResourceRow[] = []
    let changed = 0
    for (const resource of resources) {
      if (resource.id === undefined) continue
      const current = await readCurrent(tx, resource.resourceType, resource.id, true)
      if (current?.json !== undefined && current.json !== null && sameContent(JSON.parse(current.json) as Resource, resource)) continue
      const versionId = (current?.versionId ?? 0) + 1
      const stamped = stampResource(resource, resource.id, versionId, lastUpdated)
      if (current === undefined) {
        fresh.push({ type: resource.resourceType, id: resource.id, lastUpdated, json: JSON.stringify(stamped), index: ctx.index(stamped) })
      } else {
        await replaceResource(tx, resource.resourceType, resource.id, versionId, lastUpdated, JSON.stringify(stamped), ctx.index(stamped))
        changed += 1
      }
    }
    await insertAllNew(tx, fresh)
    return fresh.length + changed
  })
}

function sameContent (stored: Resource, file: Resource): boolean {
  const { meta: _storedMeta, ...a } = stored
  const { meta: _fileMeta, ...b } = file
  return JSON.stringify(a) === JSON.stringify({ ...b, id: a.id })
}
