/**
 * Building blocks of the access policy as sets of resource ids over the search index tables
 * (`SELECT resource_id FROM search_… WHERE …`), so a rule is a nest of index probes the planner
 * can drive from either end. src/auth/access-policy.ts composes them per role.
 */
import { alias, param, type SqlContext } from './search-conditions.js'

export const ODS_ORGANISATION_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code'

/** SQL selecting the ids of one resource type. */
export type IdsSql = string

/** Ids of the Organizations that carry the ODS code. */
export function organisationIds (ctx: SqlContext, odsCode: string): IdsSql {
  const o = alias(ctx, 'org')
  return `SELECT ${o}.resource_id FROM search_token ${o} WHERE ${o}.resource_type = 'Organization' AND ${o}.code = 'identifier'` +
    ` AND ${o}.system = ${param(ctx, ODS_ORGANISATION_SYSTEM)} AND ${o}.value = ${param(ctx, odsCode)}`
}

/**
 * Ids of `type` whose `code` reference names the organisation: literally (an Organization with
 * the ODS code, or a HealthcareService or PractitionerRole of it) or logically (a Reference
 * whose identifier is the ODS code, indexed as `code:identifier`).
 */
export function namingOrganisation (ctx: SqlContext, odsCode: string, type: string, code: string): IdsSql {
  const x = alias(ctx, 'x')
  const p = alias(ctx, 'p')
  const t = alias(ctx, 't')
  const literal = `SELECT ${x}.resource_id FROM search_reference ${x} WHERE ${x}.resource_type = ${param(ctx, type)} AND ${x}.code = ${param(ctx, code)} AND (` +
    `(${x}.target_type = 'Organization' AND ${x}.target_id IN (${organisationIds(ctx, odsCode)}))` +
    ` OR (${x}.target_type, ${x}.target_id) IN (SELECT ${p}.resource_type, ${p}.resource_id FROM search_reference ${p}` +
    ` WHERE ${p}.resource_type IN ('HealthcareService', 'PractitionerRole') AND ${p}.code = 'organization'` +
    ` AND ${p}.target_type = 'Organization' AND ${p}.target_id IN (${organisationIds(ctx, odsCode)})))`
  const logical = `SELECT ${t}.resource_id FROM search_token ${t} WHERE ${t}.resource_type = ${param(ctx, type)} AND ${t}.code = ${param(ctx, `${code}:identifier`)}` +
    ` AND ${t}.system = ${param(ctx, ODS_ORGANISATION_SYSTEM)} AND ${t}.value = ${param(ctx, odsCode)}`
  return `${literal} UNION ALL ${logical}`
}

/** Ids of `targetType` that the `code` references of the `sourceType` resources in `sources` point at. */
export function referencedBy (ctx: SqlContext, sourceType: string, code: string, targetType: string, sources: IdsSql): IdsSql {
  const x = alias(ctx, 'x')
  return `SELECT ${x}.target_id FROM search_reference ${x} WHERE ${x}.resource_type = ${param(ctx, sourceType)} AND ${x}.code = ${param(ctx, code)}` +
    ` AND ${x}.target_type = ${param(ctx, targetType)} AND ${x}.resource_id IN (${sources})`
}

/** Ids of `sourceType` whose `code` references point at the `targetType` resources in `targets`. */
export function referencing (ctx: SqlContext, sourceType: string, code: string, targetType: string, targets: IdsSql): IdsSql {
  const x = alias(ctx, 'x')
  return `SELECT ${x}.resource_id FROM search_reference ${x} WHERE ${x}.resource_type = ${param(ctx, sourceType)} AND ${x}.code = ${param(ctx, code)}` +
    ` AND ${x}.target_type = ${param(ctx, targetType)} AND ${x}.target_id IN (${targets})`
}

/**
 * Ids of Patients with an active Consent that denies `purpose` (consent-purpose CodeSystem):
 * status active, provision.type deny (the provision-type SearchParameter under profiles/) and
 * provision.purpose the code. A deny wins over any permit for the same purpose.
 */
export function patientsDenying (ctx: SqlContext, purposeSystem: string, purpose: string): IdsSql {
  const [p, s, u, d] = [alias(ctx, 'cp'), alias(ctx, 'cs'), alias(ctx, 'cu'), alias(ctx, 'cd')]
  return `SELECT ${p}.target_id FROM search_reference ${p} WHERE ${p}.resource_type = 'Consent' AND ${p}.code = 'patient' AND ${p}.target_type = 'Patient'` +
    ` AND ${p}.target_id IS NOT NULL AND ${p}.resource_id IN (` +
    `SELECT ${s}.resource_id FROM search_token ${s} WHERE ${s}.resource_type = 'Consent' AND ${s}.code = 'status' AND ${s}.value = 'active' AND ${s}.resource_id IN (` +
    `SELECT ${u}.resource_id FROM search_token ${u} WHERE ${u}.resource_type = 'Consent' AND ${u}.code = 'purpose'` +
    ` AND ${u}.system = ${param(ctx, purposeSystem)} AND ${u}.value = ${param(ctx, purpose)} AND ${u}.resource_id IN (` +
    `SELECT ${d}.resource_id FROM search_token ${d} WHERE ${d}.resource_type = 'Consent' AND ${d}.code = 'provision-type' AND ${d}.value = 'deny')))`
}

/** True when the resource `id` of `type` holds no reference to any of the Patients in `patients`. */
export function referencesNoneOf (ctx: SqlContext, type: string, id: string, patients: IdsSql): string {
  const x = alias(ctx, 'x')
  if (type === 'Patient') return `${id} NOT IN (${patients})`
  return `NOT EXISTS (SELECT 1 FROM search_reference ${x} WHERE ${x}.resource_type = ${param(ctx, type)} AND ${x}.resource_id = ${id}` +
    ` AND ${x}.target_type = 'Patient' AND ${x}.target_id IN (${patients}))`
}
