/** FHIR create, plain and conditional: https://hl7.org/fhir/R4/http.html#create */
import type { Resource } from '@medplum/fhirtypes'
import type { Queryable } from '../../store/database.js'
import { insertNewResources, type NewResourceRow } from '../../store/resources.js'
import { GatewayError } from '../../errors.js'
import { exactlyOne, findConditionalMatches } from './conditional.js'
import type { FhirContext, WriteResult } from './context.js'
import { applyRulesBefore, noPrevious } from './rules.js'
import { stampResource } from './stamp.js'
import type { RequestContext } from './request-context.js'
import { accessOf } from '../../auth/access-policy.js'
import { refuseIfNever, requireWritable } from '../../auth/enforce.js'

/**
 * Stores a new resource row; false when its id is already taken. 'queued' when the row goes in
 * later in the same transaction (deferred-creates.ts), which then also checks the caller's reach.
 */
export type InsertNewResource = (row: NewResourceRow) => Promise<boolean | 'queued'>

/** Inserts through `q` directly: inside a transaction, the row must go in with the rest of it. */
export function insertThrough (q: Queryable): InsertNewResource {
  return async (row) => (await insertNewResources(q, [row])).size === 1
}

/**
 * Creates version 1 of a resource with a server-assigned id (any id in the body is ignored, as
 * the spec requires). `id` lets a transaction use the id it already put into references. The
 * journey rules read through `q`; the row goes in through `insert` (by default `q` itself, or
 * the group-commit batcher for a plain create outside a transaction).
 */
export async function createResource (
  ctx: FhirContext, q: Queryable, resource: Resource, id = ctx.newId(), insert: InsertNewResource = insertThrough(q), request?: RequestContext
): Promise<WriteResult> {
  // A restricted caller's create must run in a transaction through `q`: the check below reads
  // the new row and its index, and a refusal must roll the insert back.
  const access = request === undefined ? undefined : accessOf(request.caller)
  if (access !== undefined) refuseIfNever(access, 'create', resource.resourceType)
  const lastUpdated = ctx.now().toISOString()
  const stamped = stampResource(resource, id, 1, lastUpdated)
  const warnings = ctx.validator.validate(stamped)
  const stored = await applyRulesBefore(ctx, q, stamped, noPrevious)
  const json = JSON.stringify(stored)
  const type = resource.resourceType
  const inserted = await insert({ type, id, lastUpdated, json, index: ctx.index(stored) })
  if (inserted === false) throw new GatewayError('conflict', `${type}/${id} already exists`)
  await ctx.rules?.after(ctx, q, stored, noPrevious)
  if (access !== undefined && inserted === true) await requireWritable(q, access, 'create', type, id)
  return {
    status: 201,
    version: { resourceType: type, id, versionId: 1, lastUpdated, deleted: false, json },
    warnings
  }
}

/** If-None-Exist: returns the one existing match (200) or creates (201). `tx` must be a transaction. */
export async function conditionalCreate (ctx: FhirContext, tx: Queryable, resource: Resource, ifNoneExist: string, id?: string, request?: RequestContext): Promise<WriteResult> {
  const existing = exactlyOne(await findConditionalMatches(ctx, tx, resource.resourceType, ifNoneExist, request), 'If-None-Exist')
  if (existing !== undefined) return { status: 200, version: existing, warnings: [] }
  return await createResource(ctx, tx, resource, id, insertThrough(tx), request)
}
