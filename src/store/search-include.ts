/** _include and _revinclude: resources referenced by, or referencing, a set of resources. */
import type { Queryable } from './database.js'
import type { StoredVersion } from './resources.js'

export interface ResourceKey { readonly type: string, readonly id: string }

interface Row { resource_type: string, id: string, version_id: number, last_updated: string, content: string }

const COLUMNS = `r.resource_type, r.id, r.version_id,
  to_char(r.last_updated AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_updated, r.content::text AS content`

/** Targets of `codes` references held by the sources of `sourceType`, optionally of one type. */
export async function referencedBy (
  q: Queryable, sourceType: string, sourceIds: readonly string[], codes: readonly string[], targetType: string | undefined
): Promise<StoredVersion[]> {
  if (sourceIds.length === 0 || codes.length === 0) return []
  const { rows } = await q.query<Row>(
    `SELECT DISTINCT ${COLUMNS} FROM search_reference x
     JOIN resource r ON r.resource_type = x.target_type AND r.id = x.target_id AND NOT r.deleted
     WHERE x.resource_type = $1 AND x.resource_id = ANY($2::text[]) AND x.code = ANY($3::text[])
       AND ($4::text IS NULL OR x.target_type = $4::text)`,
    [sourceType, sourceIds, codes, targetType ?? null]
  )
  return rows.map(toVersion)
}

/** Resources of `sourceType` whose `codes` references point at any of the targets. */
export async function referencing (
  q: Queryable, sourceType: string, codes: readonly string[], targets: readonly ResourceKey[]
): Promise<StoredVersion[]> {
  if (targets.length === 0 || codes.length === 0) return []
  const { rows } = await q.query<Row>(
    `SELECT DISTINCT ${COLUMNS} FROM search_reference x
     JOIN resource r ON r.resource_type = x.resource_type AND r.id = x.resource_id AND NOT r.deleted
     WHERE x.resource_type = $1 AND x.code = ANY($2::text[])
       AND (x.target_type, x.target_id) IN (SELECT * FROM unnest($3::text[], $4::text[]))`,
    [sourceType, codes, targets.map(t => t.type), targets.map(t => t.id)]
  )
  return rows.map(toVersion)
}

function toVersion (row: Row): StoredVersion {
  return { resourceType: row.resource_type, id: row.id, versionId: Number(row.version_id), lastUpdated: row.last_updated, deleted: false, json: row.content }
}
