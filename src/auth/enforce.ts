/**
 * Write-side checks of the access policy, run inside the writing transaction: a resource out of
 * the caller's reach is 404 (its existence does not leak); one the caller may see but not write,
 * or a write whose result would fall outside what the caller may write, is 403 and rolls back.
 */
import type { Queryable } from '../store/database.js'
import { isWithinReach } from '../store/resources.js'
import type { ReachMode } from '../store/reach.js'
import type { SqlContext } from '../store/search-conditions.js'
import { GatewayError } from '../errors.js'
import type { Access } from './access-policy.js'

const VERBS: Record<ReachMode, string> = { read: 'read', create: 'create', update: 'change' }

/** Refuses at once, before any work, a write this caller may never make to this type. */
export function refuseIfNever (access: Access, mode: ReachMode, type: string): void {
  const probe: SqlContext = { params: [], next: 0, valueSets: new Map() }
  if (access.reach[mode](probe, type, 'id') === 'false') {
    throw new GatewayError('forbidden', `This client may not ${VERBS[mode]} ${type} resources`)
  }
}

/** 404 unless the caller may see type/id as it is now in this transaction. */
export async function requireVisible (q: Queryable, access: Access, type: string, id: string): Promise<void> {
  if (!await isWithinReach(q, access.reach, 'read', type, id)) throw new GatewayError('not-found', `${type}/${id} is not known`)
}

/** 403 unless type/id, as this transaction sees it, is within what the caller may create or change. */
export async function requireWritable (q: Queryable, access: Access, mode: 'create' | 'update', type: string, id: string): Promise<void> {
  if (!await isWithinReach(q, access.reach, mode, type, id)) {
    throw new GatewayError('forbidden', mode === 'create'
      ? `This client may not create this ${type}: it would fall outside the organisation's access (docs/access.md)`
      : `This client may not change ${type}/${id} this way: it is, or would become, outside the organisation's access (docs/access.md)`)
  }
}
