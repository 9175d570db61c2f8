/**
 * The quick structural pass (src/fhir/validation/quick-structure.ts) may only clear a resource
 * that medplum's base-definition validator finds nothing in. Checked on the R4 specification's
 * examples of the stored types (npm hl7.fhir.r4.examples, CC0) and on a broken copy of each: each copy has one
 * change a client could send (an element dropped, an unknown key, a wrong JSON type, a null, an
 * empty value, a bad date, a wrong reference target, a second variant of a choice). The pass must
 * also clear most of the valid examples, or it saves nothing; and the gateway still answers the
 * broken ones with medplum's issues (test/fhir/validation.test.ts covers those answers).
 */
import { test } from 'tap'
import { readdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { validateResource, validateTypedValue } from '@medplum/core'
import type { Bundle, Resource } from '@medplum/fhirtypes'
import { isSupportedResourceType } from '../../../src/fhir/resource-types.js'
import { loadBaseDefinitions } from '../../../src/fhir/validation/base-definitions.js'
import { passesQuickStructure } from '../../../src/fhir/validation/quick-structure.js'
import { profileSchemaKey } from '../../../src/fhir/validation/profile-schemas.js'
import { loadProfiles } from '../../../src/fhir/validation/profiles.js'
import { makeReferral } from '../../../bench/referral.js'
import { resourcesAsStored } from '../../../bench/mapping/as-stored.js'
import { brokenCopy, seeded, type Json } from './broken-copies.js'

loadBaseDefinitions()

/**
 * Whether medplum's validator finds no issue at all (no error thrown, no warning returned): against
 * the base definition, or against the profile registered under `schemaKey` (profile-schemas.ts).
 */
function medplumClears (resource: Resource, schemaKey?: string): boolean {
  try {
    const issues = schemaKey === undefined ? validateResource(resource) : validateTypedValue({ type: schemaKey, value: resource }, {})
    return issues.length === 0
  } catch {
    return false
  }
}

test('the quick pass clears only what medplum clears, and clears most valid examples', async (t) => {
  const dir = dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'))
  const files = (await readdir(dir)).filter(f => f.endsWith('.json') && f !== 'package.json').sort()
  const random = seeded(20261121)
  const wrongly: string[] = []
  let validCleared = 0
  let validSeen = 0
  let broken = 0
  for (const file of files) {
    const text = await readFile(join(dir, file), 'utf8')
    const resource = JSON.parse(text) as Resource
    // The types the gateway stores, the only ones it validates.
    if (!isSupportedResourceType(resource.resourceType)) continue
    const quick = passesQuickStructure(resource)
    const medplum = medplumClears(resource)
    if (quick && !medplum) wrongly.push(`${file} as published`)
    if (medplum) validSeen++
    if (quick) validCleared++
    // A broken copy of each example (about 5,000 in all), each with one change.
    const broke = brokenCopy(text, random)
    if (broke === undefined) continue
    broken++
    if (passesQuickStructure(broke.copy as unknown as Resource) && !medplumClears(broke.copy as unknown as Resource)) {
      wrongly.push(`${file}: ${broke.change}`)
    }
  }
  t.same(wrongly, [], 'nothing medplum finds an issue in is cleared')
  t.ok(broken > 4_500, `${broken} broken copies checked`)
  t.ok(validCleared > validSeen * 0.8, `the quick pass clears ${validCleared} of the ${validSeen} examples medplum clears`)
})

test('the gateway’s own write shapes are cleared by the quick pass', async (t) => {
  for (let i = 0; i < 50; i++) {
    const referral = makeReferral()
    t.ok(medplumClears(referral), 'medplum clears the benchmark referral')
    t.ok(passesQuickStructure(referral), 'and so does the quick pass')
  }
})

test('a scored outcome Observation is cleared, and left to medplum once it breaks obs-7', async (t) => {
  // obs-7 reads %resource, which medplum sets for the resource's own invariants too.
  const score = (value: number): Json => ({ value, unit: 'score', system: 'http://unitsofmeasure.org', code: '{score}' })
  const observation = (): Json => ({
    resourceType: 'Observation',
    status: 'final',
    subject: { reference: 'Patient/p1' },
    code: { coding: [{ system: 'http://snomed.info/sct', code: '718466001', display: 'Short Warwick-Edinburgh Mental Well-being Scale score' }] },
    valueQuantity: score(18),
    component: [{ code: { coding: [{ system: 'https://fhir.socialprescribing.example/CodeSystem/outcome-measure', code: 'swemwbs-metric-score' }] }, valueQuantity: score(17.43) }]
  })
  const valid = observation() as unknown as Resource
  t.ok(medplumClears(valid), 'medplum clears the outcome Observation')
  t.ok(passesQuickStructure(valid), 'and so does the quick pass')
  const broken = observation()
  ;(broken.component as Json[])[0]!.code = broken.code
  t.notOk(medplumClears(broken as unknown as Resource), 'medplum finds obs-7 broken when a component repeats the code')
  t.notOk(passesQuickStructure(broken as unknown as Resource), 'and the quick pass leaves it to medplum')
})

test('each kind of problem is left to medplum', async (t) => {
  const base = (): Json => makeReferral() as unknown as Json
  const cases: Record<string, (r: Json) => void> = {
    'a required element missing': r => { Reflect.deleteProperty(r, 'intent') },
    'an unknown element': r => { r.colour = 'blue' },
    'a bad code type': r => { r.status = 3 },
    'an impossible date': r => { r.authoredOn = '2023-02-29' },
    'a wrong reference target': r => { r.subject = { reference: 'Medication/1' } },
    'an empty list': r => { r.performer = [] },
    'a null': r => { r.priority = null },
    'two variants of one choice': r => { r.occurrenceDateTime = '2024-01-01'; r.occurrencePeriod = { start: '2024-01-01' } },
    'a list where one value goes': r => { r.subject = [r.subject] },
    'a contained resource': r => { r.contained = [{ resourceType: 'Patient', id: 'p' }] },
    'an invariant broken (prr-1: orderDetail without code)': r => { Reflect.deleteProperty(r, 'code'); r.orderDetail = [{ text: 'x' }] }
  }
  for (const [name, breakIt] of Object.entries(cases)) {
    const resource = base()
    breakIt(resource)
    t.notOk(passesQuickStructure(resource as unknown as Resource), name)
  }
})

test('against our profiles the quick pass clears only what medplum clears', async (t) => {
  const profiles = await loadProfiles('profiles')
  const fixtures = (await readdir('mappings', { recursive: true })).filter(f => f.endsWith('.expected.json')).sort()
  const random = seeded(7)
  const wrongly: string[] = []
  let profiled = 0
  let cleared = 0
  let broken = 0
  for (const fixture of fixtures) {
    // References between the Bundle's entries rewritten to Type/id, as the transaction does before validating.
    const resources = resourcesAsStored(JSON.parse(await readFile(join('mappings', fixture), 'utf8')) as Bundle) as unknown as Json[]
    for (const resource of resources) {
      const url = ((resource.meta as { profile?: string[] } | undefined)?.profile ?? [])[0]
      const profile = url === undefined ? undefined : profiles.get(url)
      if (profile === undefined || profile.type !== resource.resourceType) continue
      const key = profileSchemaKey(profile)
      if (key === undefined) continue
      profiled++
      const text = JSON.stringify(resource)
      if (passesQuickStructure(resource as unknown as Resource, key)) {
        cleared++
        if (!medplumClears(resource as unknown as Resource, key)) wrongly.push(`${fixture} ${String(resource.resourceType)} as mapped`)
      }
      for (let n = 0; n < 40; n++) {
        const broke = brokenCopy(text, random)
        if (broke === undefined) continue
        broken++
        if (passesQuickStructure(broke.copy as unknown as Resource, key) && !medplumClears(broke.copy as unknown as Resource, key)) {
          wrongly.push(`${fixture} ${String(resource.resourceType)}: ${broke.change}`)
        }
      }
    }
  }
  t.same(wrongly, [], 'nothing medplum finds an issue in against the profile is cleared')
  t.ok(profiled > 20, `${profiled} profiled resources from the mapping fixtures, ${broken} broken copies`)
  t.ok(cleared >= 20, `the quick pass clears ${cleared} of them`)
})

test('a profile\'s fixed and pattern values: met, the quick pass clears; missed, it leaves the resource to medplum', async (t) => {
  const profiles = await loadProfiles('profiles')
  const bundle = JSON.parse(await readFile('mappings/gp-referral-json/fixtures/normal.expected.json', 'utf8')) as Bundle
  const resources = resourcesAsStored(bundle) as unknown as Json[]
  const task = resources.find(r => r.resourceType === 'Task') as Json
  const consent = resources.find(r => r.resourceType === 'Consent') as Json
  const keyOf = (resource: Json): string => {
    const profile = profiles.get(((resource.meta as { profile: string[] }).profile)[0] as string)
    return profileSchemaKey(profile as NonNullable<typeof profile>) as string
  }
  const codings = (concept: unknown): Json[] => (concept as { coding: Json[] }).coding
  const cases: Array<[string, Json, (copy: Json) => void, boolean]> = [
    ['the Task as mapped', task, () => undefined, true],
    ['the Consent as mapped', consent, () => undefined, true],
    ['a Task code with a coding beyond the pattern\'s', task, copy => { codings(copy.code).push({ system: 'https://example.org/cs', code: 'extra' }) }, true],
    ['a Task intent other than the fixed "order"', task, copy => { copy.intent = 'plan' }, false],
    ['a Task code other than the pattern\'s', task, copy => { codings(copy.code)[0]!.code = 'approve' }, false],
    ['a Task code whose coding lost its system', task, copy => { Reflect.deleteProperty(codings(copy.code)[0]!, 'system') }, false],
    ['a Consent scope from another system', consent, copy => { codings(copy.scope)[0]!.system = 'https://example.org/other' }, false],
    ['a Consent scope with text only', consent, copy => { copy.scope = { text: 'treatment' } }, false]
  ]
  for (const [name, original, change, clears] of cases) {
    const copy = structuredClone(original)
    change(copy)
    const key = keyOf(copy)
    t.equal(medplumClears(copy as unknown as Resource, key), clears, `${name}: medplum ${clears ? 'finds nothing' : 'finds an issue'}`)
    t.equal(passesQuickStructure(copy as unknown as Resource, key), clears, `${name}: the quick pass ${clears ? 'clears it' : 'leaves it to medplum'}`)
  }
})
