/** _include and _revinclude: resources referenced by, or referencing, a set of resources. */
import type { Queryable } from './database.js'
import { reachTest, reachTestAnyType, type Reach } from './reach.js'
import { LIVE_VERSION_COLUMNS, liveVersionOf, type LiveVersionRow, type StoredVersion } from './resources.js'
import type { SqlContext } from './search-conditions.js'

export interface ResourceKey { readonly type: string, readonly id: string }

/**
 * What a restricted caller may include: `reach`, and the types the references may point at (each
 * type's test is its own branch). Undefined for an unrestricted caller: no extra SQL.
 */
export interface IncludeReach {
  readonly reach: Reach
  readonly targetTypes: readonly string[]
}

/** Targets of `codes` references held by the sources of `sourceType`, optionally of one type. */
export async function referencedBy (
  q: Queryable, sourceType: string, sourceIds: readonly string[], codes: readonly string[], targetType: string | undefined, within?: IncludeReach
): Promise<StoredVersion[]> {
  if (sourceIds.length === 0 || codes.length === 0) return []
  const ctx: SqlContext = { params: [sourceType, sourceIds, codes, targetType ?? null], next: 0, valueSets: new Map() }
  const reach = within === undefined ? '' : ` AND ${reachTestAnyType(ctx, within.reach, 'read', targetType === undefined ? within.targetTypes : [targetType], 'r')}`
  const { rows } = await q.query<LiveVersionRow>(
    `SELECT DISTINCT ${LIVE_VERSION_COLUMNS} FROM search_reference x
     JOIN resource r ON r.resource_type = x.target_type AND r.id = x.target_id AND NOT r.deleted
     WHERE x.resource_type = $1 AND x.resource_id = ANY($2::text[]) AND x.code = ANY($3::text[])
       AND ($4::text IS NULL OR x.target_type = $4::text)${reach}`,
    ctx.params
  )
  return rows.map(liveVersionOf)
}

/** Resources of `sourceType` whose `codes` references point at any of the targets. */
export async function referencing (
  q: Queryable, sourceType: string, codes: readonly string[], targets: readonly ResourceKey[], reach?: Reach
): Promise<StoredVersion[]> {
  if (targets.length === 0 || codes.length === 0) return []
  const ctx: SqlContext = { params: [sourceType, codes, targets.map(t => t.type), targets.map(t => t.id)], next: 0, valueSets: new Map() }
  const within = reach === undefined ? '' : ` AND ${reachTest(ctx, reach, 'read', sourceType, 'r.id')}`
  const { rows } = await q.query<LiveVersionRow>(
    `SELECT DISTINCT ${LIVE_VERSION_COLUMNS} FROM search_reference x
     JOIN resource r ON r.resource_type = x.resource_type AND r.id = x.resource_id AND NOT r.deleted
     WHERE x.resource_type = $1 AND x.code = ANY($2::text[])
       AND (x.target_type, x.target_id) IN (SELECT * FROM unnest($3::text[], $4::text[]))${within}`,
    ctx.params
  )
  return rows.map(liveVersionOf)
}
