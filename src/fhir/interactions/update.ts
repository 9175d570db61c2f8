/**
 * FHIR update and conditional update: https://hl7.org/fhir/R4/http.html#update
 * Update-as-create with a client id is allowed; If-Match gives optimistic locking.
 */
import type { Resource } from '@medplum/fhirtypes'
import type { Queryable } from '../../store/database.js'
import { insertNewResources, readCurrent, replaceResource } from '../../store/resources.js'
import { GatewayError } from '../../errors.js'
import { ID_PATTERN } from '../resource-types.js'
import { exactlyOne, findConditionalMatches } from './conditional.js'
import type { FhirContext, WriteResult } from './context.js'
import { applyRulesBefore, previousOf } from './rules.js'
import { stampResource } from './stamp.js'
import { refuseAuditTrailChange } from '../../audit/append-only.js'
import type { RequestContext } from './request-context.js'
import { accessOf } from '../../auth/access-policy.js'
import { requireVisible, requireWritable } from '../../auth/enforce.js'

/** `tx` must be a transaction: the current row is locked until it commits. */
export async function updateResource (ctx: FhirContext, tx: Queryable, id: string, resource: Resource, ifMatch?: number, request?: RequestContext): Promise<WriteResult> {
  if (resource.id === undefined) {
    throw new GatewayError('invalid', 'An update must carry the resource id in its body', { expression: 'id' })
  }
  if (resource.id !== id) {
    throw new GatewayError('invalid', `The body's id (${resource.id}) does not match the URL (${id})`, { expression: 'id' })
  }
  if (!ID_PATTERN.test(id)) throw new GatewayError('invalid', 'Invalid resource id', { expression: 'id' })
  const type = resource.resourceType
  refuseAuditTrailChange(type)
  const current = await readCurrent(tx, type, id, true)
  const access = request === undefined ? undefined : accessOf(request.caller)
  // A restricted caller: an existing resource out of its reach is not known (404, also when
  // deleted); one it may see but not change is 403.
  if (access !== undefined && current !== undefined) {
    await requireVisible(tx, access, type, id)
    await requireWritable(tx, access, 'update', type, id)
  }
  if (ifMatch !== undefined && current?.versionId !== ifMatch) {
    throw new GatewayError('precondition-failed', `If-Match version ${ifMatch} is not the current version of ${type}/${id}`)
  }
  const lastUpdated = ctx.now().toISOString()
  const versionId = (current?.versionId ?? 0) + 1
  const stamped = stampResource(resource, id, versionId, lastUpdated)
  const warnings = ctx.validator.validate(stamped)
  const previous = previousOf(current?.json)
  const stored = await applyRulesBefore(ctx, tx, stamped, previous)
  const json = JSON.stringify(stored)
  if (current === undefined) {
    // Two update-as-creates of one new id can race past the lock-free read; the primary key
    // decides, and the loser retries as an ordinary update of the winner's version.
    if ((await insertNewResources(tx, [{ type, id, lastUpdated, json, index: ctx.index(stored) }])).size === 0) {
      throw new GatewayError('conflict', `${type}/${id} was created concurrently; retry the update`)
    }
  } else {
    await replaceResource(tx, type, id, versionId, lastUpdated, json, ctx.index(stored))
  }
  await ctx.rules?.after(ctx, tx, stored, previous)
  if (access !== undefined) await requireWritable(tx, access, current === undefined ? 'create' : 'update', type, id)
  return {
    status: current === undefined || current.deleted ? 201 : 200,
    version: { resourceType: type, id, versionId, lastUpdated, deleted: false, json },
    warnings
  }
}

/** PUT [type]?[search]: none → create, one → update it, several → 412. */
export async function conditionalUpdate (ctx: FhirContext, tx: Queryable, query: string, resource: Resource, ifMatch?: number, request?: RequestContext): Promise<WriteResult> {
  const match = exactlyOne(await findConditionalMatches(ctx, tx, resource.resourceType, query, request), 'The conditional update search')
  if (match === undefined) {
    const id = resource.id ?? ctx.newId()
    return await updateResource(ctx, tx, id, { ...resource, id }, ifMatch, request)
  }
  if (resource.id !== undefined && resource.id !== match.id) {
    throw new GatewayError('invalid', `The body's id (${resource.id}) is not the id of the matching resource`, { expression: 'id' })
  }
  return await updateResource(ctx, tx, match.id, { ...resource, id: match.id }, ifMatch, request)
}
