/** SQL for the basic search criteria (see fhir/search/criteria.ts) over current, live resources. */
import type { Criteria, Criterion } from '../fhir/search/criteria.js'
import type { Queryable } from './database.js'
import type { StoredVersion } from './resources.js'

export async function findResources (q: Queryable, type: string, criteria: Criteria, limit: number): Promise<StoredVersion[]> {
  const params: unknown[] = [type]
  const where = ['resource_type = $1', 'NOT deleted']
  for (const group of criteria) {
    where.push(`(${group.map(criterion => criterionSql(criterion, params)).join(' OR ')})`)
  }
  params.push(limit)
  const { rows } = await q.query<{ id: string, version_id: number, last_updated: string, content: string }>(
    `SELECT id, version_id, to_char(last_updated AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_updated,
       content::text AS content
     FROM resource WHERE ${where.join(' AND ')} ORDER BY last_updated, id LIMIT $${params.length}`,
    params
  )
  return rows.map(row => ({
    resourceType: type, id: row.id, versionId: Number(row.version_id), lastUpdated: row.last_updated, deleted: false, json: row.content
  }))
}

function criterionSql (criterion: Criterion, params: unknown[]): string {
  if (criterion.kind === 'id') {
    params.push(criterion.value)
    return `id = $${params.length}`
  }
  // The containment test uses the GIN index on content->'identifier'; the EXISTS refines "|value"
  // (an identifier with no system), which containment cannot express.
  const pattern: Record<string, string> = {}
  if (typeof criterion.system === 'string') pattern.system = criterion.system
  if (criterion.value !== undefined) pattern.value = criterion.value
  params.push(JSON.stringify([pattern]))
  const contains = `((content::jsonb) -> 'identifier') @> $${params.length}::jsonb`
  if (criterion.system !== null) return contains
  params.push(criterion.value)
  return `(${contains} AND EXISTS (SELECT 1 FROM jsonb_array_elements((content::jsonb) -> 'identifier') AS ident
    WHERE ident ->> 'value' = $${params.length} AND NOT ident ? 'system'))`
}
