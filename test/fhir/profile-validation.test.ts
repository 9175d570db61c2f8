/**
 * Writes that claim a held profile are checked in one pass against the profile's parsed schema,
 * kept from the first use (src/fhir/validation/profile-schemas.ts), instead of a base pass plus a
 * profile parsed afresh on every call. This proves the verdicts did not move: for valid
 * resources and for each structural mutation, the server answers 201 exactly when medplum's own
 * uncached checks (base definition, then the profile) find no error, and a refusal names the
 * path medplum names. Nothing refused is stored.
 */
import { readFile } from 'node:fs/promises'
import { OperationOutcomeError, validateResource } from '@medplum/core'
import type { Resource, StructureDefinition } from '@medplum/fhirtypes'
import { test } from 'tap'
import { buildTestApp, FHIR, FHIR_JSON, versionCount } from '../helper.js'
import { consent, longTermCondition, PROFILE, referralTask, spReferral } from '../workflow/fixtures.js'

async function heldProfile (name: string): Promise<StructureDefinition> {
  return JSON.parse(await readFile(new URL(`../../profiles/StructureDefinition-${name}.json`, import.meta.url), 'utf8')) as StructureDefinition
}

/** What medplum alone says, uncached: the error expressions of the base pass and the profile pass. */
function medplumErrors (resource: Resource, profile: StructureDefinition): string[] {
  const errors: string[] = []
  for (const options of [{}, { profile }]) {
    try {
      validateResource(resource, options)
    } catch (err) {
      if (!(err instanceof OperationOutcomeError)) throw err
      for (const issue of err.outcome.issue ?? []) if (issue.severity === 'error') errors.push(...(issue.expression ?? []))
    }
  }
  return errors
}

type Mutation = readonly [string, (r: any) => void]

const STRUCTURAL: readonly Mutation[] = [
  ['unchanged', () => {}],
  ['an unknown property', r => { r.colour = 'blue' }],
  ['status of the wrong JSON type', r => { r.status = 7 }],
  ['intent removed (1..1)', r => { delete r.intent }],
  ['a badly formed dateTime', r => { r.authoredOn = '15/01/2026' }],
  ['a repeated element sent as an object', r => { r.identifier = { value: 'x' } }],
  ['a single element sent as a list', r => { r.subject = [r.subject ?? r.for ?? r.patient] }],
  ['an empty object', r => { r.note = [{}] }],
  ['an extension with neither value nor url', r => { r.extension = [{}] }]
]

const PROFILED: ReadonlyArray<readonly [string, string, () => Record<string, unknown>]> = [
  ['sp-referral', 'ServiceRequest', () => spReferral('p1', { reasons: ['loneliness-or-social-isolation'], performer: 'Organization/lw1' })],
  ['sp-referral-task', 'Task', () => referralTask('r1', 'p1', 'Organization/lw1')],
  ['sp-consent', 'Consent', () => consent('p1', 'o1', 'permit', 'evaluation')],
  ['sp-condition', 'Condition', () => longTermCondition('p1', 'diabetes')]
]

for (const [name, type, make] of PROFILED) {
  test(`${name}: one cached profile pass gives medplum's own verdicts`, async (t) => {
    const { app } = await buildTestApp(t)
    const profile = await heldProfile(name)
    let accepted = 0
    for (const [label, mutate] of STRUCTURAL) {
      const resource = make()
      mutate(resource)
      const expected = medplumErrors(resource as unknown as Resource, profile)
      // Twice: the second answer comes from the parsed schema kept by the first.
      for (const attempt of [1, 2]) {
        const before = await versionCount(app, type)
        const res = await app.inject({ method: 'POST', url: `${FHIR}/${type}`, headers: FHIR_JSON, payload: resource })
        if (expected.length === 0) {
          t.equal(res.statusCode, 201, `${label} (attempt ${attempt}): medplum finds no error, so it is stored: ${res.body.slice(0, 300)}`)
          accepted++
        } else {
          t.ok([400, 422].includes(res.statusCode), `${label} (attempt ${attempt}): refused (${res.statusCode})`)
          const named = (res.json().issue ?? []).flatMap((i: any) => i.expression ?? [])
          t.ok(expected.some(e => named.includes(e)), `${label}: the refusal names medplum's path (${expected.join(', ')}); got ${named.join(', ')}`)
          t.equal(await versionCount(app, type), before, `${label}: nothing stored`)
        }
      }
    }
    t.ok(accepted >= 2, 'the unchanged resource is accepted on both attempts')
  })
}

test('a profile of another type is refused by name, and a contained resource must name a FHIR type', async (t) => {
  const { app } = await buildTestApp(t)
  const before = await versionCount(app, 'Task')
  const wrongProfile = await app.inject({ method: 'POST', url: `${FHIR}/Task`, headers: FHIR_JSON, payload: { ...referralTask('r1', 'p1', 'Organization/lw1'), meta: { profile: [PROFILE('sp-referral')] } } })
  t.equal(wrongProfile.statusCode, 422)
  t.same(wrongProfile.json().issue.map((i: any) => i.expression[0]), ['Task.meta.profile[0]'])
  t.match(wrongProfile.json().issue[0].details.text, /constrains ServiceRequest, not Task/)

  const urlTyped = await app.inject({ method: 'POST', url: `${FHIR}/Task`, headers: FHIR_JSON, payload: { ...referralTask('r1', 'p1', 'Organization/lw1'), contained: [{ resourceType: PROFILE('sp-referral'), status: 'active' }] } })
  t.ok([400, 422].includes(urlTyped.statusCode), 'a profile URL is not a resource type')
  t.ok(urlTyped.json().issue.some((i: any) => (i.expression ?? []).includes('Task.contained[0].resourceType')), urlTyped.body)
  t.equal(await versionCount(app, 'Task'), before, 'nothing stored')
})
