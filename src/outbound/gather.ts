/**
 * Everything an outbound mapping may need about one referral, gathered from the store into one
 * FHIR collection Bundle: the mapping's source. One shape for every outbound mapping, so a new
 * mapping is a new .map file and no code (docs/mappings.md, "Outbound"):
 *
 * 1. the referral (ServiceRequest) — always the first entry;
 * 2. its Patient and its requester (Organization, Practitioner or PractitionerRole, then the
 *    role's Practitioner and Organization), when stored;
 * 3. its Tasks (focus = the referral), newest first, and their owners;
 * 4. the patient's Consents;
 * 5. onward referrals (ServiceRequests basedOn it), each followed by its Tasks and their owners;
 * 6. outcome Observations basedOn the referral or an onward referral, oldest first.
 *
 * Each entry's fullUrl is the resource's absolute URL on this server. The Bundle's id is a fresh
 * UUID and its timestamp the time of gathering (maps use them as message id and date).
 */
import { randomUUID } from 'node:crypto'
import type { Bundle, Consent, Observation, PractitionerRole, Reference, Resource, ServiceRequest, Task } from '@medplum/fhirtypes'
import type { Queryable } from '../store/database.js'
import type { FhirContext } from '../fhir/interactions/context.js'
import { readResource } from '../fhir/interactions/read.js'
import { findResources, localTarget, readReference } from '../workflow/store-access.js'

const REQUESTER_TYPES = ['Organization', 'Practitioner', 'PractitionerRole'] as const

export async function gatherReferral (ctx: FhirContext, q: Queryable, referralId: string): Promise<Bundle> {
  // Throws not-found (404) or gone (410) for an unknown or deleted referral.
  const referral = JSON.parse((await readResource(q, 'ServiceRequest', referralId)).json) as ServiceRequest
  const gathered = new Map<string, Resource>()
  const add = (resource: Resource | undefined): void => {
    if (resource?.id !== undefined) {
      const key = `${resource.resourceType}/${resource.id}`
      if (!gathered.has(key)) gathered.set(key, resource)
    }
  }
  const addReferenced = async (reference: Reference | undefined, types: readonly string[]): Promise<void> => {
    const target = localTarget(ctx, reference)
    if (target === undefined || !types.includes(target.type) || gathered.has(`${target.type}/${target.id}`)) return
    add(await readReference(ctx, q, reference, target.type as Resource['resourceType']))
  }
  const addTasksOf = async (serviceRequestId: string): Promise<void> => {
    const tasks = newestFirst(await findResources<Task>(ctx, q, 'Task', `focus=ServiceRequest/${serviceRequestId}`))
    for (const task of tasks) add(task)
    for (const task of tasks) await addReferenced(task.owner, ['Organization'])
  }

  add(referral)
  await addReferenced(referral.subject, ['Patient'])
  await addReferenced(referral.requester, REQUESTER_TYPES)
  const role = gathered.get(referenceKey(ctx, referral.requester)) as PractitionerRole | undefined
  if (role?.resourceType === 'PractitionerRole') {
    await addReferenced(role.practitioner, ['Practitioner'])
    await addReferenced(role.organization, ['Organization'])
  }
  await addTasksOf(referralId)

  const patient = localTarget(ctx, referral.subject)
  if (patient?.type === 'Patient') {
    for (const consent of await findResources<Consent>(ctx, q, 'Consent', `patient=Patient/${patient.id}`)) add(consent)
  }

  const onward = await findResources<ServiceRequest>(ctx, q, 'ServiceRequest', `based-on=ServiceRequest/${referralId}`)
  for (const child of onward) {
    add(child)
    await addTasksOf(child.id as string)
  }

  const episodes = [referralId, ...onward.map(child => child.id as string)].map(id => `ServiceRequest/${id}`).join(',')
  for (const observation of oldestFirst(await findResources<Observation>(ctx, q, 'Observation', `based-on=${episodes}`))) add(observation)

  return {
    resourceType: 'Bundle',
    id: randomUUID(),
    type: 'collection',
    timestamp: ctx.now().toISOString(),
    entry: [...gathered.values()].map(resource => ({ fullUrl: `${ctx.search.fhirBaseUrl}/${resource.resourceType}/${resource.id as string}`, resource }))
  }
}


function referenceKey (ctx: FhirContext, reference: Reference | undefined): string {
  const target = localTarget(ctx, reference)
  return target === undefined ? '' : `${target.type}/${target.id}`
}

function lastUpdated (resource: Resource): string {
  return resource.meta?.lastUpdated ?? ''
}

function newestFirst<T extends Resource> (resources: T[]): T[] {
  return [...resources].sort((a, b) => lastUpdated(b).localeCompare(lastUpdated(a)) || (a.id ?? '').localeCompare(b.id ?? ''))
}

function effective (observation: Observation): string {
  return observation.effectiveDateTime ?? observation.effectivePeriod?.start ?? observation.effectiveInstant ?? observation.issued ?? ''
}

function oldestFirst (observations: Observation[]): Observation[] {
  return [...observations].sort((a, b) => effective(a).localeCompare(effective(b)) || (a.id ?? '').localeCompare(b.id ?? ''))
}
