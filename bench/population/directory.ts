/**
 * The organisations a population is referred between: integrated care boards, PCNs grouping GP
 * practices (Organization.partOf), one link-worker HealthcareService per PCN, and VCFSE providers
 * offering activities (domain.md §2 rows 6-11, 20). Sizes scale with the population (calibration.ts).
 */
import type { HealthcareService, Organization, Resource } from '@medplum/fhirtypes'
import {
  ACTIVITY_CATEGORY, GPS_PER_PRACTICE, LINK_WORKERS_PER_PCN, PATIENTS_PER_PCN, PCNS_PER_ICS,
  MIN_VCFSE_PER_CARE_SYSTEM, PRACTICES_PER_PCN, SERVICES_PER_VCFSE, VCFSE_PER_PCN
} from './calibration.js'
import { GATEWAY, ODS_ORGANISATION, ORGANIZATION_TYPE } from './code-systems.js'
import type { IdSource } from './ids.js'
import type { Random } from './prng.js'
import { referenceTo } from './references.js'
import { ACTIVITIES_BY_CATEGORY, AREAS, PLACE_WORDS, PROVIDER_SUFFIXES } from './synthetic-names.js'
import { createStaffMember, type StaffMember } from './workforce.js'

export type ActivityCategory = keyof typeof ACTIVITY_CATEGORY

export interface ActivityService {
  readonly serviceId: string
  readonly organisationId: string
  readonly category: ActivityCategory
}

export interface Practice {
  readonly organisationId: string
  readonly gpRoleIds: readonly string[]
  readonly nurseRoleId: string
}

export interface PrimaryCareNetwork {
  readonly organisationId: string
  readonly practices: readonly Practice[]
  readonly linkWorkerServiceId: string
  readonly linkWorkerRoleIds: readonly string[]
}

export interface CareSystem {
  readonly organisationId: string
  readonly postcodeDistricts: readonly string[]
  readonly networks: readonly PrimaryCareNetwork[]
  readonly activitiesByCategory: ReadonlyMap<ActivityCategory, readonly ActivityService[]>
  /** VCFSE organisations that also refer people into the link-worker service (§5.1). */
  readonly referringProviderIds: readonly string[]
}

export interface Directory {
  readonly careSystems: readonly CareSystem[]
  readonly resources: readonly Resource[]
}

export function buildDirectory (random: Random, newId: IdSource, patients: number): Directory {
  const resources: Resource[] = []
  const serial = { practice: 0, network: 0, staff: 0 }
  const networkCount = Math.max(3, Math.ceil(patients / PATIENTS_PER_PCN))
  const careSystemCount = Math.min(AREAS.length, Math.max(2, Math.ceil(networkCount / PCNS_PER_ICS)))

  const addStaff = (staff: StaffMember): string => {
    resources.push(staff.practitioner, staff.role)
    return staff.role.id as string
  }

  const careSystems = Array.from({ length: careSystemCount }, (_, c) => {
    const area = AREAS[c] as (typeof AREAS)[number]
    const icb = organisation(newId(), `NHS ${area.name} Integrated Care Board (synthetic)`, 'govt', `QZ${c + 1}`)
    resources.push(icb)
    return {
      organisationId: icb.id as string,
      postcodeDistricts: area.districts,
      networks: [] as PrimaryCareNetwork[],
      activitiesByCategory: new Map<ActivityCategory, ActivityService[]>(),
      referringProviderIds: [] as string[]
    }
  })

  for (let n = 0; n < networkCount; n++) {
    const careSystem = careSystems[n % careSystemCount] as (typeof careSystems)[number]
    serial.network += 1
    const place = `${random.pick(PLACE_WORDS)} ${serial.network}`
    const pcn = organisation(newId(), `${place} Primary Care Network`, 'prov', `U${String(60_000 + serial.network)}`, careSystem.organisationId)
    resources.push(pcn)

    const linkWorkerService: HealthcareService = {
      resourceType: 'HealthcareService',
      id: newId(),
      active: true,
      providedBy: referenceTo<Organization>('Organization', pcn.id as string),
      category: [{ coding: [{ system: GATEWAY.serviceKind, code: 'link-worker', display: 'Social prescribing link-worker service' }] }],
      name: `${place} Social Prescribing Link Worker Service`
    }
    resources.push(linkWorkerService)
    const linkWorkerRoleIds = Array.from({ length: random.int(...LINK_WORKERS_PER_PCN) }, () =>
      addStaff(createStaffMember(random, newId, { profession: 'link-worker', organisationId: pcn.id as string, healthcareServiceId: linkWorkerService.id as string, serial: ++serial.staff })))

    const practices: Practice[] = []
    for (let p = random.int(...PRACTICES_PER_PCN); p > 0; p--) {
      serial.practice += 1
      const practice = organisation(newId(), `${random.pick(PLACE_WORDS)} Medical Practice`, 'prov', `A${81_000 + serial.practice}`, pcn.id as string)
      resources.push(practice)
      const gpRoleIds = Array.from({ length: random.int(...GPS_PER_PRACTICE) }, () =>
        addStaff(createStaffMember(random, newId, { profession: 'gp', organisationId: practice.id as string, serial: ++serial.staff })))
      const nurseRoleId = addStaff(createStaffMember(random, newId, { profession: 'practice-nurse', organisationId: practice.id as string, serial: ++serial.staff }))
      practices.push({ organisationId: practice.id as string, gpRoleIds, nurseRoleId })
    }
    careSystem.networks.push({ organisationId: pcn.id as string, practices, linkWorkerServiceId: linkWorkerService.id as string, linkWorkerRoleIds })
  }

  for (const careSystem of careSystems) {
    const providerCount = Math.max(MIN_VCFSE_PER_CARE_SYSTEM, VCFSE_PER_PCN * careSystem.networks.length)
    for (let v = 0; v < providerCount; v++) {
      const category = random.weighted(ACTIVITY_CATEGORY)
      // Faith groups are religious organisations; everyone else a community group (HL7 organization-type).
      const provider = organisation(newId(), `${random.pick(PLACE_WORDS)} ${random.pick(PROVIDER_SUFFIXES)}`, category === 'faith-group' ? 'reli' : 'cg')
      resources.push(provider)
      if (random.chance(0.2)) careSystem.referringProviderIds.push(provider.id as string)
      // A provider runs activities mostly of one kind, sometimes one of another kind as well.
      for (let s = random.int(...SERVICES_PER_VCFSE); s > 0; s--) {
        const serviceCategory = s === 1 ? category : random.weighted(ACTIVITY_CATEGORY)
        const service = activityService(newId(), provider.id as string, serviceCategory, random.pick(ACTIVITIES_BY_CATEGORY[serviceCategory]))
        resources.push(service)
        const list = careSystem.activitiesByCategory.get(serviceCategory) ?? []
        list.push({ serviceId: service.id as string, organisationId: provider.id as string, category: serviceCategory })
        careSystem.activitiesByCategory.set(serviceCategory, list)
      }
    }
  }
  return { careSystems, resources }
}

function organisation (id: string, name: string, type: string, odsCode?: string, partOf?: string): Organization {
  return {
    resourceType: 'Organization',
    id,
    ...(odsCode === undefined ? {} : { identifier: [{ system: ODS_ORGANISATION, value: odsCode }] }),
    active: true,
    type: [{ coding: [{ system: ORGANIZATION_TYPE, code: type }] }],
    name,
    ...(partOf === undefined ? {} : { partOf: referenceTo<Organization>('Organization', partOf) })
  }
}

function activityService (id: string, organisationId: string, category: ActivityCategory, name: string): HealthcareService {
  return {
    resourceType: 'HealthcareService',
    id,
    active: true,
    providedBy: referenceTo<Organization>('Organization', organisationId),
    category: [{ coding: [{ system: GATEWAY.serviceKind, code: 'activity', display: 'Social prescribing activity' }] }],
    type: [{ coding: [{ system: GATEWAY.activityCategory, code: category }] }],
    name
  }
}
