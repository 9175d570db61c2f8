/**
 * What a Bundle entry did, for its AuditEvent: the entry's interaction, and the resources it
 * wrote or read (from the entry's response) or, for a search, the type and parameter names.
 */
import type { BundleEntry } from '@medplum/fhirtypes'
import type { AuditedEntity, AuditedInteraction } from '../../audit/audit-facts.js'
import { auditQuery } from '../../audit/audit-query.js'
import type { Queryable } from '../../store/database.js'
import { ID_PATTERN } from '../resource-types.js'
import type { EntryTarget } from './entry-url.js'

/** Records what a transaction, or one batch entry, did; processBundle calls it. */
export interface BundleAudit {
  /** Inside `tx`, before it commits: the AuditEvent commits with the entries' writes. */
  committed(tx: Queryable, interaction: AuditedInteraction, status: number, entities: AuditedEntity[]): Promise<void>
  /** A batch entry that failed (its transaction rolled back): recorded on its own. */
  failed(interaction: AuditedInteraction, status: number, entities: AuditedEntity[]): Promise<void>
}

export function entryInteraction (method: string, target: EntryTarget): AuditedInteraction {
  switch (method) {
    case 'POST': return 'create'
    case 'PUT': return 'update'
    case 'PATCH': return 'patch'
    case 'DELETE': return 'delete'
    default:
      if (target.id === undefined) return 'search-type'
      return target.versionId === undefined ? 'read' : 'vread'
  }
}

/** The version a Bundle entry's `response.location` (`Type/id/_history/n`) names, if it names one. */
export function locationEntity (location: string | undefined): AuditedEntity | undefined {
  const parts = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})\/_history\/(\d+)$/.exec(location ?? '')
  return parts === null ? undefined : { type: parts[1] as string, id: parts[2] as string, versionId: Number(parts[3]) }
}

/** The entry's resources: from its response when it succeeded, from its request URL otherwise. */
export function entryEntities (target: EntryTarget, result?: BundleEntry): AuditedEntity[] {
  const written = locationEntity(result?.response?.location)
  if (written !== undefined) return [written]
  const id = target.id !== undefined && ID_PATTERN.test(target.id) ? target.id : undefined
  const version = result?.response?.etag === undefined ? target.versionId : /\d+/.exec(result.response.etag)?.[0]
  const query = target.query === undefined ? '' : auditQuery(new URLSearchParams(target.query))
  return [{
    type: target.type,
    ...(id === undefined ? {} : { id }),
    ...(id !== undefined && version !== undefined && /^\d{1,9}$/.test(version) ? { versionId: Number(version) } : {}),
    ...(query === '' ? {} : { query })
  }]
}
