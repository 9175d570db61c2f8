/**
 * A compiled invariant (src/fhir/validation/compiled-invariant.ts) must give the FHIRPath
 * interpreter's answer wherever it gives one. Checked on every value carrying an invariant in the
 * R4 specification's examples of the stored types, in the mapping fixtures' resources against
 * our profiles, in a broken copy of each, and in variants of each such value with one element
 * dropped, emptied, or given a primitive extension.
 */
import { test } from 'tap'
import { readdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { evalFhirPathTyped, parseFhirPath, toTypedValue, tryGetDataType, UCUM, type Constraint, type InternalTypeSchema, type TypedValue } from '@medplum/core'
import type { Bundle, Resource } from '@medplum/fhirtypes'
import { isSupportedResourceType } from '../../../src/fhir/resource-types.js'
import { loadBaseDefinitions } from '../../../src/fhir/validation/base-definitions.js'
import { compileInvariant, type CompiledInvariant } from '../../../src/fhir/validation/compiled-invariant.js'
import { profileSchemaKey } from '../../../src/fhir/validation/profile-schemas.js'
import { loadProfiles } from '../../../src/fhir/validation/profiles.js'
import { choiceKey, elementTypeSchema } from '../../../src/fhir/validation/type-schemas.js'
import { resourcesAsStored } from '../../../bench/mapping/as-stored.js'
import { brokenCopy, seeded, type Json } from './broken-copies.js'

loadBaseDefinitions()

interface Checked { readonly constraint: Constraint, readonly value: TypedValue, readonly root: TypedValue }

/** Every value in `object` (of `schema`) with an invariant on it, typed as the validator types it. */
function invariantSites (object: Json, typeName: string, schema: InternalTypeSchema, root: TypedValue, found: Checked[]): Checked[] {
  for (const constraint of schema.constraints ?? []) found.push({ constraint, value: { type: typeName, value: object }, root })
  for (const [key, value] of Object.entries(object)) {
    for (const [name, element] of Object.entries(schema.elements)) {
      if (name.includes('.')) continue
      const type = element.type.find(t => (name.endsWith('[x]') ? choiceKey(name, t.code) : name) === key)
      if (type === undefined) continue
      for (const item of Array.isArray(value) ? value : [value]) {
        for (const constraint of element.constraints ?? []) found.push({ constraint, value: { type: type.code, value: item }, root })
        const inner = item !== null && typeof item === 'object' && !Array.isArray(item) && type.code !== 'Resource' ? elementTypeSchema(type.code, schema) : undefined
        if (inner !== undefined) invariantSites(item as Json, type.code, inner, root, found)
      }
    }
  }
  return found
}

/** The interpreter's answer as compileInvariant states it, evaluated as the validator evaluates it. */
const parsed = new Map<string, ReturnType<typeof parseFhirPath>>()
function atomOf (expression: string): ReturnType<typeof parseFhirPath> {
  if (!parsed.has(expression)) parsed.set(expression, parseFhirPath(expression))
  return parsed.get(expression) as ReturnType<typeof parseFhirPath>
}

function interpreted ({ constraint, value, root }: Checked): boolean | null | 'throws' {
  try {
    const result = evalFhirPathTyped(atomOf(constraint.expression), [value], { '%context': value, '%ucum': toTypedValue(UCUM), '%resource': root, '%rootResource': root })
    return result.length === 1 && typeof result[0]?.value === 'boolean' ? result[0].value : null
  } catch {
    return 'throws'
  }
}

/** The value with one of its elements dropped, emptied, or given a primitive extension. */
function variantsOf (value: unknown): unknown[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return []
  const variants: unknown[] = []
  for (const key of Object.keys(value)) {
    const { [key]: dropped, ...rest } = value as Json
    variants.push(rest, { ...rest, [key]: '' }, { ...rest, [key]: [] }, { ...rest, [`_${key}`]: { id: 'x' } }, { ...rest, [key]: Array.isArray(dropped) ? [...dropped, null] : dropped, [key + 'String']: 'x' })
  }
  return variants
}

const compiledByKey = new Map<string, CompiledInvariant | undefined>()
function compiledFor (expression: string, type: string): CompiledInvariant | undefined {
  const key = `${type}\n${expression}`
  if (!compiledByKey.has(key)) compiledByKey.set(key, compileInvariant(atomOf(expression), type))
  return compiledByKey.get(key)
}

interface Tally { answered: number, fails: number, deferred: number, mismatches: string[], expressions: Set<string> }

/** Compares the two on the site; false if the invariant is not compiled for the site's type. */
function compare (site: Checked, where: string, tally: Tally): boolean {
  const compiled = compiledFor(site.constraint.expression, site.value.type)
  if (compiled === undefined) return false
  tally.expressions.add(site.constraint.expression)
  const verdict = compiled(site.value.value)
  if (verdict === undefined) {
    tally.deferred++
    return true
  }
  tally.answered++
  if (verdict !== true) tally.fails++
  const expected = interpreted(site)
  if (verdict !== expected) tally.mismatches.push(`${where} ${site.constraint.key} on ${site.value.type}: compiled ${String(verdict)}, interpreter ${String(expected)} for ${JSON.stringify(site.value.value).slice(0, 200)}`)
  return true
}

/** Compares on every site of the resource, and on variants of a share of them (all would take minutes). */
function compareAll (resource: Json, typeName: string, where: string, tally: Tally, varied: () => boolean): void {
  const schema = tryGetDataType(typeName)
  if (schema === undefined) return
  const root: TypedValue = { type: typeName, value: resource }
  for (const site of invariantSites(resource, typeName, schema, root, [])) {
    if (!compare(site, where, tally) || !varied()) continue
    for (const variant of variantsOf(site.value.value)) compare({ ...site, value: { type: site.value.type, value: variant } }, `${where} (varied)`, tally)
  }
}

// The specification's own definitions (55 MB of the 68 MB of examples) would take minutes; the
// clinical and workflow examples carry the invariants a referral meets.
const CONFORMANCE = new Set(['CodeSystem', 'ValueSet', 'StructureDefinition', 'SearchParameter', 'ConceptMap', 'CapabilityStatement', 'OperationDefinition', 'CompartmentDefinition', 'ImplementationGuide', 'NamingSystem', 'StructureMap', 'GraphDefinition', 'MessageDefinition'])

const newTally = (): Tally => ({ answered: 0, fails: 0, deferred: 0, mismatches: [], expressions: new Set() })

test('compiled invariants agree with the interpreter on the R4 examples and broken copies of them', async (t) => {
  const dir = dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'))
  const files = (await readdir(dir)).filter(f => f.endsWith('.json') && f !== 'package.json').sort()
  const random = seeded(20261207)
  const tally = newTally()
  for (const file of files) {
    const text = await readFile(join(dir, file), 'utf8')
    const resource = JSON.parse(text) as Json
    if (typeof resource.resourceType !== 'string' || !isSupportedResourceType(resource.resourceType) || CONFORMANCE.has(resource.resourceType)) continue
    const varied = (): boolean => random() < 0.25
    compareAll(resource, resource.resourceType, file, tally, varied)
    const broke = brokenCopy(text, random)
    if (broke !== undefined) compareAll(broke.copy, resource.resourceType, `${file}: ${broke.change}`, tally, varied)
  }
  t.same(tally.mismatches.slice(0, 20), [], 'no answer differs from the interpreter\'s')
  t.ok(tally.answered > 50_000, `${tally.answered} answers compared (${tally.fails} of them failing, ${tally.deferred} left to the interpreter)`)
  t.ok(tally.fails > 1_000, 'failing answers among them')
  t.ok(tally.expressions.has('extension.exists() != value.exists()'), 'ext-1, on every Extension, is compiled')
})

test('compiled invariants agree with the interpreter on our profiles, for the mapped resources and broken copies', async (t) => {
  const profiles = await loadProfiles('profiles')
  const fixtures = (await readdir('mappings', { recursive: true })).filter(f => f.endsWith('.expected.json')).sort()
  const random = seeded(11)
  const tally = newTally()
  for (const fixture of fixtures) {
    const resources = resourcesAsStored(JSON.parse(await readFile(join('mappings', fixture), 'utf8')) as Bundle) as unknown as Json[]
    for (const resource of resources) {
      const profile = profiles.get(((resource.meta as { profile?: string[] } | undefined)?.profile ?? [])[0] ?? '')
      const key = profile === undefined ? undefined : profileSchemaKey(profile)
      const text = JSON.stringify(resource)
      for (const typeName of [String(resource.resourceType), ...(key === undefined ? [] : [key])]) {
        compareAll(resource, typeName, fixture, tally, () => true)
        for (let n = 0; n < 10; n++) {
          const broke = brokenCopy(text, random)
          if (broke !== undefined) compareAll(broke.copy, typeName, `${fixture}: ${broke.change}`, tally, () => random() < 0.2)
        }
      }
    }
  }
  t.same(tally.mismatches.slice(0, 20), [], 'no answer differs from the interpreter\'s')
  t.ok(tally.answered > 5_000, `${tally.answered} answers compared (${tally.fails} of them failing, ${tally.deferred} left to the interpreter)`)
  t.ok(tally.fails > 100, 'failing answers among them')
  for (const expression of [
    "(status = 'rejected' or status = 'cancelled' or status = 'on-hold' or status = 'failed') implies statusReason.text.exists()",
    'lastModified.exists().not() or authoredOn.exists().not() or lastModified >= authoredOn'
  ]) t.ok(tally.expressions.has(expression), `our Task invariant ${expression.slice(0, 40)}… is compiled`)
})

test('what a compiled invariant leaves to the interpreter', async (t) => {
  const ext1 = compileInvariant(parseFhirPath('extension.exists() != value.exists()'), 'Extension')
  t.ok(ext1 !== undefined, 'ext-1 compiles')
  t.equal(ext1?.({ url: 'u', valueString: 'x' }), true, 'a value and no extensions holds')
  t.equal(ext1?.({ url: 'u' }), false, 'neither fails')
  t.equal(ext1?.({ url: 'u', _valueString: { id: 'x' } }), undefined, 'a primitive extension goes to the interpreter')
  t.equal(ext1?.({ url: 'u', extension: [null] }), undefined, 'an empty item in a list goes to the interpreter')
  const notBoolean = compileInvariant(parseFhirPath('active or deceased.exists()'), 'Patient')
  t.equal(notBoolean?.({ active: 'yes' }), undefined, 'a boolean element holding text goes to the interpreter')
  const rng2 = compileInvariant(parseFhirPath('(low.empty() or high.empty()) or (low <= high)'), 'Range')
  t.equal(rng2?.({ low: { value: 1 }, high: { value: 2 } }), undefined, 'comparing Quantities goes to the interpreter')
  t.equal(rng2?.({ low: { value: 1 } }), true, 'with one bound it holds')
  for (const [expression, type] of [
    ['%resource.id.exists()', 'Patient'],
    ['reference.startsWith(\'#\').not()', 'Reference'],
    ['value.ofType(Quantity).exists()', 'Observation'],
    ['value.code.exists()', 'Observation'],
    ['noSuchElement.exists()', 'Patient']
  ] as const) t.equal(compileInvariant(parseFhirPath(expression), type), undefined, `${expression} is not compiled`)
})
