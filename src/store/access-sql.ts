/**
 * Building blocks of the access policy over the search index tables, in two forms:
 * - id sets (`SELECT resource_id FROM search_… WHERE …`), computed once per statement (the
 *   planner hashes them), each part entered by an index on the searched value;
 * - tests of one resource (`EXISTS (SELECT 1 FROM search_reference x WHERE x.resource_id = r.id …)`),
 *   one index probe per candidate row, so a search still starts from its own conditions and a
 *   page stops as soon as it is full.
 * src/auth/access-policy.ts composes them per role.
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

/** (type, id) of the organisation's own parties: its HealthcareServices and PractitionerRoles. */
function partiesOf (ctx: SqlContext, odsCode: string): string {
  const p = alias(ctx, 'p')
  return `SELECT ${p}.resource_type, ${p}.resource_id FROM search_reference ${p} WHERE ${p}.resource_type IN ('HealthcareService', 'PractitionerRole')` +
    ` AND ${p}.code = 'organization' AND ${p}.target_type = 'Organization' AND ${p}.target_id IN (${organisationIds(ctx, odsCode)})`
}

/**
 * Ids of `type` whose `code` reference names the organisation: literally (an Organization with
 * the ODS code, or a HealthcareService or PractitionerRole of it) or logically (a Reference
 * whose identifier is the ODS code, indexed as `code:identifier`). One index range per part.
 */
export function namingOrganisationIds (ctx: SqlContext, odsCode: string, type: string, code: string): IdsSql {
  const [x, y, t] = [alias(ctx, 'x'), alias(ctx, 'x'), alias(ctx, 't')]
  const owned = (a: string): string => `${a}.resource_type = ${param(ctx, type)} AND ${a}.code = ${param(ctx, code)}`
  return `SELECT ${x}.resource_id FROM search_reference ${x} WHERE ${owned(x)} AND ${x}.target_type = 'Organization' AND ${x}.target_id IN (${organisationIds(ctx, odsCode)})` +
    ` UNION ALL SELECT ${y}.resource_id FROM search_reference ${y} WHERE ${owned(y)} AND (${y}.target_type, ${y}.target_id) IN (${partiesOf(ctx, odsCode)})` +
    ` UNION ALL SELECT ${t}.resource_id FROM search_token ${t} WHERE ${t}.resource_type = ${param(ctx, type)} AND ${t}.code = ${param(ctx, `${code}:identifier`)}` +
    ` AND ${t}.system = ${param(ctx, ODS_ORGANISATION_SYSTEM)} AND ${t}.value = ${param(ctx, odsCode)}`
}

/** Test: the resource `id` of `type` names the organisation in its `code` reference (as namingOrganisationIds). */
export function namesOrganisation (ctx: SqlContext, odsCode: string, type: string, code: string, id: string): string {
  const [x, t] = [alias(ctx, 'x'), alias(ctx, 't')]
  return `(EXISTS (SELECT 1 FROM search_reference ${x} WHERE ${x}.resource_type = ${param(ctx, type)} AND ${x}.resource_id = ${id} AND ${x}.code = ${param(ctx, code)}` +
    ` AND ((${x}.target_type = 'Organization' AND ${x}.target_id IN (${organisationIds(ctx, odsCode)})) OR (${x}.target_type, ${x}.target_id) IN (${partiesOf(ctx, odsCode)})))` +
    ` OR EXISTS (SELECT 1 FROM search_token ${t} WHERE ${t}.resource_type = ${param(ctx, type)} AND ${t}.resource_id = ${id} AND ${t}.code = ${param(ctx, `${code}:identifier`)}` +
    ` AND ${t}.system = ${param(ctx, ODS_ORGANISATION_SYSTEM)} AND ${t}.value = ${param(ctx, odsCode)}))`
}

/** Ids of `targetType` that the `code` references of the `sourceType` resources in `sources` point at. */
export function referencedByIds (ctx: SqlContext, sourceType: string, code: string, targetType: string, sources: IdsSql): IdsSql {
  const x = alias(ctx, 'x')
  return `SELECT ${x}.target_id FROM search_reference ${x} WHERE ${x}.resource_type = ${param(ctx, sourceType)} AND ${x}.code = ${param(ctx, code)}` +
    ` AND ${x}.target_type = ${param(ctx, targetType)} AND ${x}.resource_id IN (${sources})`
}

/** Ids of `sourceType` whose `code` references point at the `targetType` resources in `targets`. */
export function referencingIds (ctx: SqlContext, sourceType: string, code: string, targetType: string, targets: IdsSql): IdsSql {
  const x = alias(ctx, 'x')
  return `SELECT ${x}.resource_id FROM search_reference ${x} WHERE ${x}.resource_type = ${param(ctx, sourceType)} AND ${x}.code = ${param(ctx, code)}` +
    ` AND ${x}.target_type = ${param(ctx, targetType)} AND ${x}.target_id IN (${targets})`
}

/** Test: the resource `id` of `type` has a `code` reference to one of the `targetType` resources in `targets`. */
export function refersTo (ctx: SqlContext, type: string, code: string, targetType: string, id: string, targets: IdsSql): string {
  const x = alias(ctx, 'x')
  return `EXISTS (SELECT 1 FROM search_reference ${x} WHERE ${x}.resource_type = ${param(ctx, type)} AND ${x}.resource_id = ${id} AND ${x}.code = ${param(ctx, code)}` +
    ` AND ${x}.target_type = ${param(ctx, targetType)} AND ${x}.target_id IN (${targets}))`
}

/** Test: one of the `sourceType` resources in `sources` has a `code` reference to the resource `id` of `type`. */
export function referredToBy (ctx: SqlContext, type: string, id: string, sourceType: string, code: string, sources: IdsSql): string {
  const x = alias(ctx, 'x')
  return `EXISTS (SELECT 1 FROM search_reference ${x} WHERE ${x}.target_type = ${param(ctx, type)} AND ${x}.target_id = ${id} AND ${x}.code = ${param(ctx, code)}` +
    ` AND ${x}.resource_type = ${param(ctx, sourceType)} AND ${x}.resource_id IN (${sources}))`
}

/**
 * Ids of Patients with an active Consent that denies `purpose` (consent-purpose CodeSystem):
 * status active, provision.type deny (the provision-type SearchParameter under profiles/),
 * provision.purpose the code, and provision.period (R4 `period`), if given, holding now: a
 * refusal "until the end of March" lapses by itself, and one dated ahead is not yet in force.
 * A deny wins over any permit for the same purpose.
 */
export function patientsDenying (ctx: SqlContext, purposeSystem: string, purpose: string): IdsSql {
  const [p, s, u, d] = [alias(ctx, 'cp'), alias(ctx, 'cs'), alias(ctx, 'cu'), alias(ctx, 'cd')]
  return `SELECT ${p}.target_id FROM search_reference ${p} WHERE ${p}.resource_type = 'Consent' AND ${p}.code = 'patient' AND ${p}.target_type = 'Patient'` +
    ` AND ${p}.target_id IS NOT NULL AND ${p}.resource_id IN (` +
    `SELECT ${s}.resource_id FROM search_token ${s} WHERE ${s}.resource_type = 'Consent' AND ${s}.code = 'status' AND ${s}.value = 'active' AND ${s}.resource_id IN (` +
    `SELECT ${u}.resource_id FROM search_token ${u} WHERE ${u}.resource_type = 'Consent' AND ${u}.code = 'purpose'` +
    ` AND ${u}.system = ${param(ctx, purposeSystem)} AND ${u}.value = ${param(ctx, purpose)} AND ${u}.resource_id IN (` +
    `SELECT ${d}.resource_id FROM search_token ${d} WHERE ${d}.resource_type = 'Consent' AND ${d}.code = 'provision-type' AND ${d}.value = 'deny'` +
    ` AND ${d}.resource_id NOT IN (${consentsOutOfPeriod(ctx)}))))`
}

/** Ids of Consents whose provision.period does not hold now (an open end is stored as infinity). */
function consentsOutOfPeriod (ctx: SqlContext): IdsSql {
  const w = alias(ctx, 'cw')
  return `SELECT ${w}.resource_id FROM search_date ${w} WHERE ${w}.resource_type = 'Consent' AND ${w}.code = 'period' AND (${w}.high < now() OR ${w}.low > now())`
}

/** Test: the resource `id` of `type` holds no reference to any of the Patients in `patients`. */
export function referencesNoneOf (ctx: SqlContext, type: string, id: string, patients: IdsSql): string {
  const x = alias(ctx, 'x')
  if (type === 'Patient') return `${id} NOT IN (${patients})`
  return `NOT EXISTS (SELECT 1 FROM search_reference ${x} WHERE ${x}.resource_type = ${param(ctx, type)} AND ${x}.resource_id = ${id}` +
    ` AND ${x}.target_type = 'Patient' AND ${x}.target_id IN (${patients}))`
}
