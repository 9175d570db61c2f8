/**
 * generatePopulation: a synthetic, reproducible social prescribing population as batches of
 * FHIR R4 resources with pre-assigned ids and literal references between them. The directory
 * (organisations, services, staff) comes first, then each patient with everything about them;
 * a patient's resources never straddle two batches.
 *
 * Deterministic: the same patients, seed and asOf give the same resources, ids included.
 */
import type { Resource } from '@medplum/fhirtypes'
import { HISTORY_DAYS, SECOND_EPISODE_SHARE } from './calibration.js'
import { buildDirectory, type CareSystem, type PrimaryCareNetwork } from './directory.js'
import { planEpisode } from './episode-plan.js'
import { createIdSource, type IdSource } from './ids.js'
import { createNhsNumberSource } from './nhs-number.js'
import { createPatient } from './patient.js'
import { createRandom, type Random } from './prng.js'
import { renderEpisode } from './render-episode.js'
import { addDays, DAY_MS, daysAfter, duringWorkingHours, startOfDay } from './time.js'

export interface PopulationOptions {
  readonly patients: number
  readonly seed: number
  /** Resources per batch (a batch may run over by one patient's resources). */
  readonly batchSize?: number
  /** The moment the data describes; referrals spread over the three years before it. Defaults to today 00:00 UTC. */
  readonly asOf?: Date
}

export const DEFAULT_BATCH_SIZE = 2000

export function * generatePopulation (options: PopulationOptions): Generator<Resource[], void, undefined> {
  if (!Number.isInteger(options.patients) || options.patients < 0) throw new RangeError('patients must be a non-negative integer')
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
  const asOf = (options.asOf ?? new Date(startOfDay(Date.now()))).getTime()
  const random = createRandom(options.seed)
  const newId = createIdSource(options.seed)
  const nextNhsNumber = createNhsNumberSource(options.seed)

  const directory = buildDirectory(random, newId, options.patients)
  for (let start = 0; start < directory.resources.length; start += batchSize) {
    yield directory.resources.slice(start, start + batchSize)
  }
  const networks = directory.careSystems.flatMap(careSystem => careSystem.networks.map(network => ({ careSystem, network })))

  let batch: Resource[] = []
  for (let n = 0; n < options.patients; n++) {
    const { careSystem, network } = random.pick(networks)
    batch.push(...patientResources(random, newId, nextNhsNumber(), careSystem, network, asOf))
    if (batch.length >= batchSize) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}

function patientResources (
  random: Random, newId: IdSource, nhsNumber: string, careSystem: CareSystem, network: PrimaryCareNetwork, asOf: number
): Resource[] {
  const practice = random.pick(network.practices)
  const reReferred = random.chance(SECOND_EPISODE_SHARE)
  // People who come back need time for two episodes, so their first one starts earlier.
  const window = reReferred ? HISTORY_DAYS / 2 : HISTORY_DAYS - 1
  const firstReferralAt = duringWorkingHours(random, addDays(asOf, -HISTORY_DAYS) + Math.floor(random.next() * window) * DAY_MS)
  const { patient, conditions } = createPatient(random, newId, {
    nhsNumber, practiceId: practice.organisationId, postcodeDistricts: careSystem.postcodeDistricts, firstReferralAt
  })
  const resources: Resource[] = [patient, ...conditions]
  const conditionIds = conditions.map(condition => condition.id as string)
  const context = { patientId: patient.id as string, careSystem, network, practice, conditionIds, asOf }

  const first = planEpisode(random, careSystem, firstReferralAt)
  const firstEpisode = renderEpisode(random, newId, first, { ...context, replacesId: undefined })
  resources.push(...firstEpisode.resources)
  if (reReferred) {
    const secondReferralAt = daysAfter(random, first.closedAt, 30, 300)
    const second = planEpisode(random, careSystem, secondReferralAt)
    // Planned and rendered whatever the date, so the random stream does not depend on asOf.
    const secondEpisode = renderEpisode(random, newId, second, { ...context, replacesId: firstEpisode.referralId })
    if (secondReferralAt <= asOf) resources.push(...secondEpisode.resources)
  }
  return resources
}
