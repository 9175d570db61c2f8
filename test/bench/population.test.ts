/**
 * The synthetic population: the pure generator (determinism, validity, references, calibration)
 * and `npm run seed` end to end, checked through the gateway's public HTTP interface.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { test } from 'tap'
import type { FastifyInstance } from 'fastify'
import type { Bundle, Observation, Patient, Resource, Task } from '@medplum/fhirtypes'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { loadProfiles } from '../../src/fhir/validation/profiles.js'
import { createValidator } from '../../src/fhir/validation/validator.js'
import { REFERRAL_REASON, REGULAR_ENGAGEMENT_TARGET, TAKE_UP_TARGET } from '../../bench/population/calibration.js'
import { NHS_NUMBER, SWEMWBS_SCORE } from '../../bench/population/code-systems.js'
import { isValidNhsNumber, nhsCheckDigit } from '../../bench/population/nhs-number.js'
import { DEFAULT_BATCH_SIZE, generatePopulation, type PopulationOptions } from '../../bench/population/population.js'
import { parseSeedOptions, SeedUsageError } from '../../bench/population/seed-options.js'
import { createTally } from '../../bench/population/tally.js'
import { STATUSES_NEEDING_REASON } from '../../bench/population/task-timeline.js'
import { migrate } from '../../src/store/migrate.js'
import { openDatabase } from '../../src/store/open.js'
import { FHIR, isolatedDatabaseUrl, temporaryDirectory, versionCount } from '../helper.js'
import { indexDefinitions } from '../store/index-definitions.js'

const run = promisify(execFile)
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const AS_OF = new Date('2026-06-30T00:00:00Z')

function population (options: PopulationOptions): Resource[] {
  return [...generatePopulation(options)].flat()
}

/** Every Reference.reference in a resource. */
function referencesIn (value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) referencesIn(item, found)
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'reference' && typeof child === 'string') found.push(child)
      else referencesIn(child, found)
    }
  }
  return found
}

function nhsNumberOf (patient: Patient): string {
  return patient.identifier?.find(i => i.system === NHS_NUMBER)?.value ?? ''
}

test('NHS numbers: Modulus 11 check digit', async (t) => {
  t.equal(nhsCheckDigit('943476591'), 9, 'the NHS Data Dictionary example 9434765919')
  t.ok(isValidNhsNumber('9434765919'))
  t.notOk(isValidNhsNumber('9434765918'), 'a wrong check digit')
  t.notOk(isValidNhsNumber('943476591'), 'too short')
})

test('seed flags', async (t) => {
  const today = new Date('2026-03-04T15:16:17Z')
  t.same(parseSeedOptions([], today), { patients: 1000, seed: 1, batchSize: DEFAULT_BATCH_SIZE, asOf: new Date('2026-03-04T00:00:00Z'), workers: undefined, keepIndexes: false })
  t.same(parseSeedOptions(['--patients', '5', '--seed', '9', '--batch', '10', '--as-of', '2025-12-31', '--workers', '0', '--keep-indexes'], today),
    { patients: 5, seed: 9, batchSize: 10, asOf: new Date('2025-12-31T00:00:00Z'), workers: 0, keepIndexes: true })
  t.throws(() => parseSeedOptions(['--patients', 'many'], today), SeedUsageError)
  t.throws(() => parseSeedOptions(['--batch', '0'], today), SeedUsageError)
  t.throws(() => parseSeedOptions(['--as-of', 'soon'], today), SeedUsageError)
  t.throws(() => parseSeedOptions(['--unknown'], today), SeedUsageError)
})

test('the same seed gives the same population; another seed gives other ids', async (t) => {
  const options = { patients: 150, seed: 7, asOf: AS_OF }
  const first = population(options)
  t.equal(JSON.stringify(population(options)), JSON.stringify(first))
  const ids = new Set(first.map(r => r.id))
  const other = population({ ...options, seed: 8 })
  t.notOk(other.some(r => ids.has(r.id)), 'no id is shared with a population of another seed')
  t.equal(population({ ...options, patients: 0 }).filter(r => r.resourceType === 'Patient').length, 0)
})

test('generated resources are valid R4, reference each other and follow the calibration', async (t) => {
  const resources = population({ patients: 2000, seed: 2026, asOf: AS_OF })
  const validator = createValidator({ profiles: await loadProfiles(join(REPO_ROOT, 'profiles')), unknownProfile: 'reject' })
  const invalid = resources.filter(resource => {
    try {
      validator.validate(resource)
      return false
    } catch {
      return true
    }
  })
  t.same(invalid.map(r => `${r.resourceType}/${r.id}`).slice(0, 5), [], 'every resource passes the store validator')

  const ids = new Set(resources.map(r => `${r.resourceType}/${r.id}`))
  t.equal(ids.size, resources.length, 'ids are unique')
  t.ok(resources.every(r => /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(r.id ?? '')), 'ids are version 8 UUIDs')
  const inOrderMade = resources.map(r => r.id ?? '')
  t.same([...inOrderMade].sort(), inOrderMade, 'ids sort in the order they were made, so a bulk load appends to its indexes')
  const dangling = resources.flatMap(r => referencesIn(r)).filter(reference => !ids.has(reference))
  t.same(dangling.slice(0, 5), [], 'every reference points at a generated resource')

  const nhsNumbers = resources.filter((r): r is Patient => r.resourceType === 'Patient').map(nhsNumberOf)
  t.equal(nhsNumbers.length, 2000)
  t.ok(nhsNumbers.every(n => isValidNhsNumber(n) && n.startsWith('999')), 'valid NHS numbers in the 999 test range')
  t.equal(new Set(nhsNumbers).size, nhsNumbers.length, 'NHS numbers are unique')

  const tasks = resources.filter((r): r is Task => r.resourceType === 'Task')
  t.ok(tasks.filter(task => STATUSES_NEEDING_REASON.has(task.status)).every(task => (task.statusReason?.text ?? '') !== ''),
    'statusReason.text on every rejected, cancelled, on-hold or failed Task')
  t.ok(tasks.some(task => task.status === 'on-hold') && tasks.some(task => task.status === 'rejected'), 'the rarer statuses occur')

  const swemwbs = new Map(resources.filter((r): r is Observation => r.resourceType === 'Observation' && r.code.coding?.[0]?.code === SWEMWBS_SCORE.code).map(o => [o.id, o]))
  const changes = [...swemwbs.values()].flatMap(followUp => {
    const baseline = swemwbs.get(followUp.derivedFrom?.[0]?.reference?.split('/')[1])
    return baseline === undefined ? [] : [(followUp.valueQuantity?.value ?? 0) - (baseline.valueQuantity?.value ?? 0)]
  })
  const improved = changes.filter(change => change > 0).length / changes.length
  t.ok(changes.length > 500, `${changes.length} follow-up SWEMWBS scores paired with their baseline`)
  t.ok(improved > 0.7 && improved < 0.92, `${(improved * 100).toFixed(0)}% of paired SWEMWBS scores improved (Petrus 81%, SPRING 85%)`)

  const tally = createTally(AS_OF)
  tally.add(resources)
  const realised = tally.proportions()
  const reasonTotal = Object.values(REFERRAL_REASON).reduce((a, b) => a + b, 0)
  const near = (actual: number, target: number, tolerance: number, what: string): void => {
    t.ok(Math.abs(actual - target) <= tolerance, `${what}: ${(actual * 100).toFixed(1)}% is within ${tolerance * 100} points of ${(target * 100).toFixed(1)}%`)
  }
  near(realised.takeUp, TAKE_UP_TARGET, 0.03, 'take-up')
  near(realised.regularEngagement, REGULAR_ENGAGEMENT_TARGET, 0.03, 'regular engagement')
  near(realised.reasons['loneliness-or-social-isolation'] ?? 0, REFERRAL_REASON['loneliness-or-social-isolation'] / reasonTotal, 0.03, 'loneliness')
  near(realised.reasons['anxiety-or-depression'] ?? 0, REFERRAL_REASON['anxiety-or-depression'] / reasonTotal, 0.02, 'anxiety or depression')
  near(realised.reasons['general-health-and-wellbeing'] ?? 0, REFERRAL_REASON['general-health-and-wellbeing'] / reasonTotal, 0.03, 'general health and wellbeing')
  t.ok(realised.resourcesPerPatient >= 8 && realised.resourcesPerPatient <= 12, `${realised.resourcesPerPatient.toFixed(1)} resources per patient`)
  t.ok(realised.episodesPerPatient > 1.05 && realised.episodesPerPatient < 1.2, 'some patients have a second episode')
})

/** All current resources of a type, following the history Bundle's next links. */
async function readAll<T extends Resource> (app: FastifyInstance, type: string): Promise<T[]> {
  const found: T[] = []
  let url: string | undefined = `${FHIR}/${type}/_history?_count=500`
  while (url !== undefined) {
    const bundle: Bundle<T> = (await app.inject({ method: 'GET', url })).json()
    for (const entry of bundle.entry ?? []) if (entry.resource !== undefined) found.push(entry.resource)
    const next: string | undefined = bundle.link?.find(link => link.relation === 'next')?.url
    url = next === undefined ? undefined : FHIR + next.slice(next.indexOf('/fhir') + FHIR.length)
  }
  return found
}

test('npm run seed writes the population through the store', async (t) => {
  const dataDir = await temporaryDirectory(t, 'seed-test-')
  const databaseUrl = await isolatedDatabaseUrl(t)
  const { DATABASE_URL: _ignored, ...inherited } = process.env
  const storeEnv = databaseUrl === undefined ? { DATA_DIR: dataDir } : { DATABASE_URL: databaseUrl }
  const options = { patients: 200, seed: 11, asOf: AS_OF }

  const { stdout } = await run(process.execPath,
    ['--import', 'tsx', 'bench/population/seed.ts', '--patients', '200', '--seed', '11', '--as-of', '2026-06-30'],
    { cwd: REPO_ROOT, env: { ...inherited, ...storeEnv }, timeout: 90_000 })

  const expected = population(options)
  const expectedByType = new Map<string, number>()
  for (const resource of expected) expectedByType.set(resource.resourceType, (expectedByType.get(resource.resourceType) ?? 0) + 1)
  t.match(stdout, new RegExp(`resources written: ${expected.length} in`))
  t.match(stdout, /take-up \(attended at least one session\)\s+\d+\.\d%/)
  const patients = expected.filter((r): r is Patient => r.resourceType === 'Patient')
  t.notOk(patients.some(p => stdout.includes(nhsNumberOf(p)) || stdout.includes(p.birthDate ?? '')), 'no NHS number or birth date in the output')

  t.match(stdout, /indexes: \d+ set aside while loading the empty store/, 'the empty store loaded without its secondary indexes')
  const seeded = await openDatabase(loadConfig(storeEnv).store)
  const fresh = await openDatabase(loadConfig({ DATA_DIR: ':memory:', ...(databaseUrl === undefined ? {} : { DATABASE_URL: await isolatedDatabaseUrl(t) }) }).store)
  try {
    await migrate(fresh)
    t.same(await indexDefinitions(seeded), await indexDefinitions(fresh), 'and every index built at the end, as a fresh store defines it')
  } finally {
    await seeded.close()
    await fresh.close()
  }

  const app = await buildApp(loadConfig({ ...storeEnv, LOG_LEVEL: 'silent', AUTH_DISABLED: 'true', PROFILES_DIR: join(REPO_ROOT, 'profiles') }))
  t.teardown(async () => { await app.close() })
  for (const [type, count] of expectedByType) {
    t.equal(await versionCount(app, type), count, `${count} ${type} resources`)
  }

  const storedPatients = await readAll<Patient>(app, 'Patient')
  t.equal(storedPatients.length, 200)
  t.ok(storedPatients.every(p => isValidNhsNumber(nhsNumberOf(p))), 'every stored NHS number passes Modulus 11')
  for (const patient of storedPatients.slice(0, 5)) {
    const found = (await app.inject({ method: 'GET', url: `${FHIR}/Patient?identifier=${encodeURIComponent(`${NHS_NUMBER}|${nhsNumberOf(patient)}`)}` })).json<Bundle>()
    t.same(found.entry?.map(e => e.resource?.id), [patient.id], 'found by NHS number')
  }

  const tasks = await readAll<Task>(app, 'Task')
  t.equal(tasks.length, expectedByType.get('Task'))
  t.ok(tasks.filter(task => STATUSES_NEEDING_REASON.has(task.status)).every(task => (task.statusReason?.text ?? '') !== ''),
    'every stored Task whose status requires it has a statusReason')

  // Reading what a sample of Tasks and Observations point at proves the stored references resolve.
  const observations = await readAll<Resource>(app, 'Observation')
  // Spread over the population: ids sort in the order they were made, so the first few belong
  // to the first few patients.
  const spread = <T>(list: T[], count: number): T[] => list.filter((_, i) => i % Math.ceil(list.length / count) === 0)
  const sample = [...spread(tasks, 15), ...spread(observations, 10)]
  const targets = [...new Set(sample.flatMap(resource => referencesIn(resource)))]
  const unresolved: string[] = []
  for (const reference of targets) {
    const response = await app.inject({ method: 'GET', url: `${FHIR}/${reference}` })
    if (response.statusCode !== 200) unresolved.push(`${reference}: ${response.statusCode}`)
  }
  t.ok(targets.length > 50, `${targets.length} distinct references read`)
  t.same(unresolved, [], 'every sampled reference resolves')
})
