/** Runs one Bundle entry's request through the same interactions the REST routes use. */
import type { BundleEntry, Resource } from '@medplum/fhirtypes'
import type { Queryable } from '../../store/database.js'
import type { StoredVersion } from '../../store/resources.js'
import { GatewayError } from '../../errors.js'
import { conditionalCreate, createResource, type InsertNewResource } from '../interactions/create.js'
import type { FhirContext } from '../interactions/context.js'
import { deleteResource } from '../interactions/delete.js'
import { patchResource } from '../interactions/patch.js'
import { readResource, vreadResource } from '../interactions/read.js'
import { executeSearch } from '../search/execute.js'
import { asResourceOfType, parseIfMatch } from '../interactions/stamp.js'
import { conditionalUpdate, updateResource } from '../interactions/update.js'
import type { EntryTarget } from './entry-url.js'
import type { RequestContext } from '../interactions/request-context.js'
import { accessOf } from '../../auth/access-policy.js'
import { deidentify } from '../../auth/deidentify.js'

export interface EntryOptions {
  readonly fhirBaseUrl: string
  /** Prefer: return=minimal leaves resources out of the response entries. */
  readonly returnResources: boolean
}

export interface EntryRequest {
  readonly method: string
  readonly target: EntryTarget
  readonly entry: BundleEntry
  /** Set by a transaction: the id already placed in references. */
  readonly assignedId?: string
  /**
   * Set by a transaction when If-None-Exist matched: the version its search found, within the
   * caller's reach. It is the answer as it stands, so the entry need not read it again.
   */
  readonly existingMatch?: StoredVersion
  /** Set by a transaction for a create whose row may go in later with others (deferred-creates.ts). */
  readonly insert?: InsertNewResource
}

/** `context`: who asks; every entry is held to the caller's access as the REST interaction would be. */
export async function executeEntry (ctx: FhirContext, tx: Queryable, request: EntryRequest, options: EntryOptions, context?: RequestContext): Promise<BundleEntry> {
  const { method, target, entry } = request
  const ifMatch = parseIfMatch(entry.request?.ifMatch)
  switch (method) {
    case 'POST': {
      if (target.id !== undefined || target.query !== undefined) throw new GatewayError('invalid', 'POST entries create: request.url must be the type')
      const resource = asResourceOfType(entry.resource, target.type)
      if (request.existingMatch !== undefined) return writeResponse(200, request.existingMatch, options)
      // A transaction resolved If-None-Exist while assigning ids; a batch entry resolves it here.
      const ifNoneExist = entry.request?.ifNoneExist
      const result = ifNoneExist !== undefined && request.assignedId === undefined
        ? await conditionalCreate(ctx, tx, resource, ifNoneExist, undefined, context)
        : await createResource(ctx, tx, resource, request.assignedId, request.insert, context)
      return writeResponse(result.status, result.version, options)
    }
    case 'PUT': {
      const resource = asResourceOfType(entry.resource, target.type)
      const result = target.query !== undefined
        ? await conditionalUpdate(ctx, tx, target.query, resource, ifMatch, context)
        : await updateResource(ctx, tx, requireId(target), resource, ifMatch, context)
      return writeResponse(result.status, result.version, options)
    }
    case 'PATCH': {
      const body = entry.resource
      const patch = body?.resourceType === 'Binary'
        ? { kind: 'json-patch' as const, operations: decodeBinaryPatch(body) }
        : { kind: 'fhirpath-patch' as const, parameters: body }
      const result = await patchResource(ctx, tx, target.type, requireId(target), patch, ifMatch, context)
      return writeResponse(result.status, result.version, options)
    }
    case 'DELETE': {
      const version = await deleteResource(tx, ctx.now(), target.type, requireId(target), ifMatch, context)
      return { response: { status: '204', etag: `W/"${version.versionId}"` } }
    }
    default: {
      if (target.id !== undefined) {
        const version = target.versionId === undefined
          ? await readResource(tx, target.type, target.id, false, context)
          : await vreadResource(tx, target.type, target.id, target.versionId, context)
        const read = { ...writeResponse(200, version, { ...options, returnResources: true }), fullUrl: `${options.fhirBaseUrl}/${target.type}/${target.id}` }
        const withheld = context !== undefined && accessOf(context.caller)?.deidentify === true && read.resource !== undefined
        return withheld ? { ...read, resource: deidentify(read.resource as Resource) } : read
      }
      const bundle = await executeSearch(tx, ctx.search, {
        types: [target.type], params: new URLSearchParams(target.query ?? ''), endpoint: `${options.fhirBaseUrl}/${target.type}`, lenient: false,
        ...(context === undefined ? {} : { caller: context.caller })
      })
      return { resource: bundle, response: { status: '200' } }
    }
  }
}

function writeResponse (status: number, version: StoredVersion, options: EntryOptions): BundleEntry {
  const location = `${version.resourceType}/${version.id}/_history/${version.versionId}`
  return {
    fullUrl: `${options.fhirBaseUrl}/${version.resourceType}/${version.id}`,
    ...(options.returnResources && version.json !== null ? { resource: JSON.parse(version.json) as Resource } : {}),
    response: {
      status: status === 201 ? '201 Created' : '200 OK',
      location,
      etag: `W/"${version.versionId}"`,
      lastModified: version.lastUpdated
    }
  }
}

function requireId (target: EntryTarget): string {
  if (target.id === undefined) throw new GatewayError('invalid', 'This entry needs request.url of the form [type]/[id]', { expression: 'request.url' })
  return target.id
}

/** In a Bundle a JSON Patch travels as a Binary with contentType application/json-patch+json. */
function decodeBinaryPatch (binary: Resource): unknown {
  const data = (binary as { data?: string }).data
  if (typeof data !== 'string') throw new GatewayError('invalid', 'A JSON Patch Binary needs base64 data', { expression: 'resource.data' })
  try {
    return JSON.parse(Buffer.from(data, 'base64').toString('utf8'))
  } catch {
    throw new GatewayError('invalid', 'The JSON Patch Binary does not hold JSON', { expression: 'resource.data' })
  }
}
