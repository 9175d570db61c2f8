/**
 * Parameter values picked from the seeded data, so each query hits real rows with the
 * selectivity it would have in service: real NHS numbers, the busiest providers and PCNs, a
 * month and a quarter inside the history. Picked with plain SQL (not timed); samples are ordered
 * by a hash of the id, so the same population always gives the same picks.
 */
import type pg from 'pg'

export interface SampledPatient {
  readonly id: string
  readonly nhsNumber: string
  readonly family: string
  readonly birthDate: string
}

export interface Fixtures {
  readonly patients: readonly SampledPatient[]
  /** Organisations with the most open Tasks (PCN link-worker services or VCFSE providers). */
  readonly busyOwners: readonly string[]
  /** PCN organisations with the most referrals to their link-worker service. */
  readonly busyPcns: readonly string[]
  /** Activity HealthcareServices with the most onward referrals. */
  readonly busyActivities: readonly string[]
  /** An instant after which about CHANGED_SINCE_TASKS Tasks changed. */
  readonly changedSince: string
  readonly asOf: string
}

export const OPEN_TASK_STATUSES = ['requested', 'accepted', 'in-progress', 'on-hold'] as const
const CHANGED_SINCE_TASKS = 1000

export async function pickFixtures (client: pg.Client, sampleSize: number, asOf: string): Promise<Fixtures> {
  const patients = await client.query<SampledPatient>(
    `SELECT id,
            c->'identifier'->0->>'value' AS "nhsNumber",
            c->'name'->0->>'family' AS family,
            c->>'birthDate' AS "birthDate"
     FROM (SELECT id, content::jsonb AS c FROM resource WHERE resource_type = 'Patient' AND NOT deleted
           ORDER BY md5(id) LIMIT $1) p`, [sampleSize])
  const busyOwners = await column(client,
    `SELECT x.target_id FROM search_reference x
     JOIN search_token s ON s.resource_type = 'Task' AND s.resource_id = x.resource_id AND s.code = 'status' AND s.value = ANY($1::text[])
     WHERE x.resource_type = 'Task' AND x.code = 'owner' AND x.target_type = 'Organization'
     GROUP BY x.target_id ORDER BY count(*) DESC, x.target_id LIMIT 5`, [OPEN_TASK_STATUSES])
  const busyPcns = await column(client,
    `SELECT o.target_id FROM search_token cat
     JOIN search_reference o ON o.resource_type = 'HealthcareService' AND o.resource_id = cat.resource_id AND o.code = 'organization'
     JOIN search_reference p ON p.resource_type = 'ServiceRequest' AND p.code = 'performer' AND p.target_type = 'HealthcareService' AND p.target_id = cat.resource_id
     WHERE cat.resource_type = 'HealthcareService' AND cat.code = 'service-category' AND cat.value = 'link-worker'
     GROUP BY o.target_id ORDER BY count(*) DESC, o.target_id LIMIT 5`)
  const busyActivities = await column(client,
    `SELECT p.target_id FROM search_token cat
     JOIN search_reference p ON p.resource_type = 'ServiceRequest' AND p.code = 'performer' AND p.target_type = 'HealthcareService' AND p.target_id = cat.resource_id
     WHERE cat.resource_type = 'HealthcareService' AND cat.code = 'service-category' AND cat.value = 'activity'
     GROUP BY p.target_id ORDER BY count(*) DESC, p.target_id LIMIT 5`)
  const changed = await column(client,
    `SELECT to_char(last_updated AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM resource
     WHERE resource_type = 'Task' AND NOT deleted ORDER BY last_updated DESC, id DESC OFFSET $1 LIMIT 1`, [CHANGED_SINCE_TASKS])
  const missing = [['patients', patients.rows], ['busy owners', busyOwners], ['PCNs', busyPcns], ['activities', busyActivities], ['a change time', changed]]
    .filter(([, list]) => (list as unknown[]).length === 0).map(([name]) => name)
  if (missing.length > 0) throw new Error(`the database has no ${missing.join(', ')}: is it seeded?`)
  return { patients: patients.rows, busyOwners, busyPcns, busyActivities, changedSince: changed[0] as string, asOf }
}

async function column (client: pg.Client, sql: string, params: unknown[] = []): Promise<string[]> {
  const { rows } = await client.query<Record<string, string>>({ text: sql, values: params, rowMode: 'array' } as pg.QueryConfig)
  return (rows as unknown as string[][]).map(row => row[0] as string)
}
