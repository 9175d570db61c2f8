/**
 * Creates many resources in one transaction with ids chosen by the caller, so a batch can carry
 * references between its own resources (population seeding, bulk loads). Every resource is
 * validated like any other create; the rows go in with one multi-row INSERT per batch.
 */
import type { Resource } from '@medplum/fhirtypes'
import type { Queryable } from '../../store/database.js'
import { insertAllNew } from '../../store/resources.js'
import { GatewayError } from '../../errors.js'
import { ID_PATTERN } from '../resource-types.js'
import type { FhirContext } from './context.js'
import { stampResource } from './stamp.js'

/** Returns how many resources were written. `tx` should be a transaction. */
export async function bulkCreate (ctx: FhirContext, tx: Queryable, resources: readonly Resource[]): Promise<number> {
  const lastUpdated = ctx.now().toISOString()
  const rows = resources.map((resource, index) => {
    if (resource.id === undefined || !ID_PATTERN.test(resource.id)) {
      throw new GatewayError('invalid', `Bulk create needs a valid id on every resource (entry ${index})`, { expression: `[${index}].id` })
    }
    const stamped = stampResource(resource, resource.id, 1, lastUpdated)
    ctx.validator.validate(stamped)
    return { type: resource.resourceType, id: resource.id, lastUpdated, json: JSON.stringify(stamped), index: ctx.index(stamped) }
  })
  await insertAllNew(tx, rows)
  return rows.length
}
