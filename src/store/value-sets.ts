/** ValueSets held by the server, found by canonical URL (for token :in and :not-in). */
import type { Queryable } from './database.js'

export async function findValueSetJson (q: Queryable, url: string): Promise<string | undefined> {
  const [canonical, version] = url.split('|')
  const { rows } = await q.query<{ content: string }>(
    `SELECT content::text AS content FROM resource
     WHERE resource_type = 'ValueSet' AND NOT deleted AND content->>'url' = $1 AND ($2::text IS NULL OR content->>'version' = $2::text)
     ORDER BY last_updated DESC LIMIT 1`,
    [canonical, version ?? null]
  )
  return rows[0]?.content
}
