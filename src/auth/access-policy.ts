/**
 * Organisation-level access (issue #6; rules and their reasons in docs/access.md): what each
 * role may read, create and change, as a Reach whose SQL every read and write path adds to its
 * own statement. An admin has no Reach (undefined): its statements are unchanged.
 */
import type { Caller } from './caller.js'
import {
  namesOrganisation, namingOrganisationIds, patientsDenying, referencedByIds, referencesNoneOf, referencingIds, referredToBy, refersTo, type IdsSql
} from '../store/access-sql.js'
import type { Reach, ReachRule } from '../store/reach.js'
import type { SqlContext } from '../store/search-conditions.js'
import { GATEWAY_SYSTEM } from '../terminology/systems.js'

/** What a restricted caller may touch, and whether what it sees must be de-identified. */
export interface Access {
  readonly reach: Reach
  /** A dashboard without identifiable access: direct identifiers are withheld (src/auth/deidentify.ts). */
  readonly deidentify: boolean
}

/** Definitions every authenticated client may read (never write). */
export const CONFORMANCE_TYPES: ReadonlySet<string> = new Set([
  'StructureDefinition', 'ValueSet', 'CodeSystem', 'Questionnaire', 'SearchParameter', 'StructureMap', 'ConceptMap', 'Measure'
])

/** The service directory: who and where organisations are. No personal data about patients. */
export const DIRECTORY_TYPES: ReadonlySet<string> = new Set([
  'Organization', 'HealthcareService', 'Location', 'Endpoint', 'Practitioner', 'PractitionerRole'
])

/** Resources about one patient, found through their `patient` search parameter. */
const PATIENT_RECORD_TYPES: ReadonlySet<string> = new Set([
  'Observation', 'QuestionnaireResponse', 'Condition', 'Goal', 'CarePlan', 'Consent', 'Communication', 'RelatedPerson', 'Provenance'
])

/** Never reachable by a dashboard: audit trail and delivery configuration. */
const ADMIN_ONLY_TYPES: ReadonlySet<string> = new Set(['AuditEvent', 'Subscription'])

const NOWHERE: ReachRule = () => 'false'

const accessByCaller = new WeakMap<Caller, Access | undefined>()

/** The caller's Access, or undefined when it may see and do everything (admin). */
export function accessOf (caller: Caller): Access | undefined {
  if (caller.role === 'admin') return undefined
  if (accessByCaller.has(caller)) return accessByCaller.get(caller)
  const access = buildAccess(caller)
  accessByCaller.set(caller, access)
  return access
}

function buildAccess (caller: Caller): Access {
  const deidentify = caller.role === 'dashboard' && !caller.identifiable
  if (caller.role === 'dashboard') return { reach: dashboardReach(), deidentify }
  const ods = caller.odsCode
  // A non-admin client without an organisation can own nothing: it sees definitions only.
  if (ods === undefined) return { reach: { read: sharedOnly(NOWHERE), create: NOWHERE, update: NOWHERE }, deidentify }
  switch (caller.role) {
    case 'gp-system': return { reach: gpReach(ods), deidentify }
    case 'link-worker-service': return { reach: linkWorkerReach(ods), deidentify }
    case 'vcfse-crm': return { reach: crmReach(ods), deidentify }
    default: throw new Error(`No access policy for role ${caller.role}`)
  }
}

/** Definitions and the directory are readable by every client; the rest follows `rule`. */
function sharedOnly (rule: ReachRule): ReachRule {
  return (ctx, type, id) => CONFORMANCE_TYPES.has(type) || DIRECTORY_TYPES.has(type) ? 'true' : rule(ctx, type, id)
}

/**
 * gp-system: the referrals its organisation requested and their onward referrals, the Tasks on
 * them, the patients registered with it (generalPractitioner or managingOrganization) or
 * referred by it, and those patients' records. Creates referrals only as its own organisation.
 */
function gpReach (ods: string): Reach {
  const requested = (ctx: SqlContext): IdsSql => namingOrganisationIds(ctx, ods, 'ServiceRequest', 'requester')
  const referrals = (ctx: SqlContext): IdsSql => `${requested(ctx)} UNION ALL ${referencingIds(ctx, 'ServiceRequest', 'based-on', 'ServiceRequest', requested(ctx))}`
  const patients = (ctx: SqlContext): IdsSql => [
    namingOrganisationIds(ctx, ods, 'Patient', 'general-practitioner'),
    namingOrganisationIds(ctx, ods, 'Patient', 'organization'),
    referencedByIds(ctx, 'ServiceRequest', 'subject', 'Patient', referrals(ctx))
  ].join(' UNION ALL ')
  const read: ReachRule = sharedOnly((ctx, type, id) => {
    switch (type) {
      case 'ServiceRequest': return `(${namesOrganisation(ctx, ods, type, 'requester', id)} OR ${refersTo(ctx, type, 'based-on', 'ServiceRequest', id, requested(ctx))})`
      case 'Task': return refersTo(ctx, type, 'focus', 'ServiceRequest', id, referrals(ctx))
      case 'Patient': return `(${namesOrganisation(ctx, ods, type, 'general-practitioner', id)} OR ${namesOrganisation(ctx, ods, type, 'organization', id)}` +
        ` OR ${referredToBy(ctx, type, id, 'ServiceRequest', 'subject', referrals(ctx))})`
      default: return PATIENT_RECORD_TYPES.has(type) ? refersTo(ctx, type, 'patient', 'Patient', id, patients(ctx)) : 'false'
    }
  })
  const write: ReachRule = (ctx, type, id) => {
    if (type === 'ServiceRequest') return namesOrganisation(ctx, ods, type, 'requester', id)
    return CONFORMANCE_TYPES.has(type) || DIRECTORY_TYPES.has(type) ? 'false' : read(ctx, type, id)
  }
  return { read, create: write, update: write }
}

/**
 * link-worker-service: referrals addressed to its service (performer) and the onward referrals
 * made from them, the Tasks on those or owned by it, the patients of the referrals addressed to
 * it and their records. Creates onward referrals (basedOn one addressed to it, requested by it)
 * and Tasks on them for providers.
 */
function linkWorkerReach (ods: string): Reach {
  const addressed = (ctx: SqlContext): IdsSql => namingOrganisationIds(ctx, ods, 'ServiceRequest', 'performer')
  const referrals = (ctx: SqlContext): IdsSql => `${addressed(ctx)} UNION ALL ${referencingIds(ctx, 'ServiceRequest', 'based-on', 'ServiceRequest', addressed(ctx))}`
  const patients = (ctx: SqlContext): IdsSql => referencedByIds(ctx, 'ServiceRequest', 'subject', 'Patient', addressed(ctx))
  const onward = (ctx: SqlContext, id: string): string => refersTo(ctx, 'ServiceRequest', 'based-on', 'ServiceRequest', id, addressed(ctx))
  const taskOnReferral = (ctx: SqlContext, id: string): string => refersTo(ctx, 'Task', 'focus', 'ServiceRequest', id, referrals(ctx))
  const read: ReachRule = sharedOnly((ctx, type, id) => {
    switch (type) {
      case 'ServiceRequest': return `(${namesOrganisation(ctx, ods, type, 'performer', id)} OR ${onward(ctx, id)})`
      case 'Task': return `(${taskOnReferral(ctx, id)} OR ${namesOrganisation(ctx, ods, type, 'owner', id)})`
      case 'Patient': return referredToBy(ctx, type, id, 'ServiceRequest', 'subject', addressed(ctx))
      default: return PATIENT_RECORD_TYPES.has(type) ? refersTo(ctx, type, 'patient', 'Patient', id, patients(ctx)) : 'false'
    }
  })
  const write = (creating: boolean): ReachRule => (ctx, type, id) => {
    switch (type) {
      case 'ServiceRequest': return `(${onward(ctx, id)} AND ${namesOrganisation(ctx, ods, type, 'requester', id)})`
      case 'Task': return taskOnReferral(ctx, id)
      case 'Patient': return creating ? 'false' : read(ctx, type, id)
      default: return PATIENT_RECORD_TYPES.has(type) ? read(ctx, type, id) : 'false'
    }
  }
  return { read, create: write(true), update: write(false) }
}

/**
 * vcfse-crm: Tasks its organisation owns, the referrals they focus on, the patients they are
 * for, and outcomes (Observation, QuestionnaireResponse) about those patients that it recorded
 * or that belong to a referral it holds. Where the patient's Consent limits sharing with
 * community organisations (vcfse-sharing denied), only the outcomes it recorded itself.
 * Updates only its Tasks (never creates one); creates outcomes only for its patients.
 */
function crmReach (ods: string): Reach {
  const tasks = (ctx: SqlContext): IdsSql => namingOrganisationIds(ctx, ods, 'Task', 'owner')
  const referrals = (ctx: SqlContext): IdsSql => referencedByIds(ctx, 'Task', 'focus', 'ServiceRequest', tasks(ctx))
  const patients = (ctx: SqlContext): IdsSql =>
    `${referencedByIds(ctx, 'Task', 'patient', 'Patient', tasks(ctx))} UNION ALL ${referencedByIds(ctx, 'ServiceRequest', 'subject', 'Patient', referrals(ctx))}`
  const outcomes = (ctx: SqlContext, type: string, id: string): string => {
    const recorder = type === 'Observation' ? 'performer' : 'author'
    const limited = patientsDenying(ctx, GATEWAY_SYSTEM.consentPurpose, 'vcfse-sharing')
    const ofHeldReferral = `(${refersTo(ctx, type, 'based-on', 'ServiceRequest', id, referrals(ctx))} AND ${referencesNoneOf(ctx, type, id, limited)})`
    return `(${refersTo(ctx, type, 'patient', 'Patient', id, patients(ctx))} AND (${namesOrganisation(ctx, ods, type, recorder, id)} OR ${ofHeldReferral}))`
  }
  const ownTask = (ctx: SqlContext, id: string): string => namesOrganisation(ctx, ods, 'Task', 'owner', id)
  const read: ReachRule = sharedOnly((ctx, type, id) => {
    switch (type) {
      case 'Task': return ownTask(ctx, id)
      case 'ServiceRequest': return referredToBy(ctx, type, id, 'Task', 'focus', tasks(ctx))
      case 'Patient': return `(${referredToBy(ctx, type, id, 'Task', 'patient', tasks(ctx))} OR ${referredToBy(ctx, type, id, 'ServiceRequest', 'subject', referrals(ctx))})`
      case 'Observation': case 'QuestionnaireResponse': return outcomes(ctx, type, id)
      default: return 'false'
    }
  })
  const outcomesOnly: ReachRule = (ctx, type, id) => type === 'Observation' || type === 'QuestionnaireResponse' ? outcomes(ctx, type, id) : 'false'
  const update: ReachRule = (ctx, type, id) => type === 'Task' ? ownTask(ctx, id) : outcomesOnly(ctx, type, id)
  return { read, create: outcomesOnly, update }
}

/**
 * dashboard: reads everything but the audit trail and subscriptions, except the data of
 * patients whose active Consent denies use in evaluation: their Patient and every resource that
 * references them are out of reach, counts included. Writes nothing.
 */
function dashboardReach (): Reach {
  const read: ReachRule = (ctx, type, id) => {
    if (ADMIN_ONLY_TYPES.has(type)) return 'false'
    if (CONFORMANCE_TYPES.has(type) || DIRECTORY_TYPES.has(type)) return 'true'
    return referencesNoneOf(ctx, type, id, patientsDenying(ctx, GATEWAY_SYSTEM.consentPurpose, 'evaluation'))
  }
  return { read, create: NOWHERE, update: NOWHERE }
}
