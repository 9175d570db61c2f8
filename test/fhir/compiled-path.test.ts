/**
 * Indexing evaluates plain member paths without the FHIRPath interpreter (compiled-path.ts).
 * For every search parameter of every stored type, over a synthetic population and the search
 * test data, the compiled path must give exactly what the interpreter gives.
 */
import t from 'tap'
import fc from 'fast-check'
import { toTypedValue, type TypedValue } from '@medplum/core'
import type { Resource } from '@medplum/fhirtypes'
import { createFhirContext } from '../../src/fhir/fhir-context.js'
import { SUPPORTED_RESOURCE_TYPES } from '../../src/fhir/resource-types.js'
import { generatePopulation } from '../../bench/population/population.js'
import { observation, organization, patient, practitioner, serviceRequest, task } from './search-support/resources.js'

const ctx = createFhirContext({
  profiles: new Map(), searchParameters: [], unknownProfile: 'reject', fhirBaseUrl: 'https://example.org/fhir', searchDefaultCount: 20, searchMaxCount: 100
})
const registry = ctx.search.registry

function corpus (): Resource[] {
  const resources: Resource[] = []
  for (const batch of generatePopulation({ patients: 40, seed: 7, asOf: new Date('2026-06-01T00:00:00Z') })) resources.push(...batch)
  for (const arbitrary of [observation, organization, patient, practitioner, serviceRequest, task]) {
    resources.push(...fc.sample(arbitrary as fc.Arbitrary<unknown>, { numRuns: 60, seed: 11 }) as Resource[])
  }
  // Shapes the generators do not make: a choice type, nested arrays, primitive extensions.
  resources.push(
    { resourceType: 'Patient', name: [{ family: 'A', given: ['B', 'C'] }, { given: ['D'] }], deceasedBoolean: false, _gender: { extension: [{ url: 'https://example.org/x', valueString: 'y' }] } } as Resource,
    { resourceType: 'Observation', status: 'final', code: { text: 'x' }, effectivePeriod: { start: '2026-01-01' }, valueQuantity: { value: 3, unit: 'kg' } },
    { resourceType: 'Task', status: 'requested', intent: 'order', input: [{ type: { text: 'a' }, valueString: 'b' }], executionPeriod: { end: '2026-02-01' } },
    // Each value type a choice narrowed by ofType() may hold, at the top and in components.
    { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueCodeableConcept: { coding: [{ system: 'https://example.org/cs', code: 'a' }], text: 'A' },
      component: [{ code: { text: 'q' }, valueQuantity: { value: 1 } }, { code: { text: 'c' }, valueCodeableConcept: { text: 'C' } }, { code: { text: 's' }, valueString: 'S' }, { code: { text: 'p' }, valuePeriod: { start: '2026-01-01' } }] },
    { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueString: 'plain', _valueString: { extension: [{ url: 'https://example.org/x', valueString: 'y' }] } } as Resource,
    { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valuePeriod: { start: '2026-01-01', end: '2026-02-01' } },
    { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueDateTime: '2026-03-04T05:06:07Z', component: [{ code: { text: 'd' }, valueDateTime: '2026-03-04' }] },
    { resourceType: 'Condition', subject: { reference: 'Patient/p' }, onsetAge: { value: 40, unit: 'a' }, abatementString: 'in remission' } as Resource,
    { resourceType: 'Condition', subject: { reference: 'Patient/p' }, onsetPeriod: { start: '2020-01-01' }, abatementDateTime: '2021-01-01' } as Resource
  )
  return resources
}

t.test('compiled paths give what the FHIRPath interpreter gives', async t => {
  const resources = corpus()
  const types = new Set(resources.map(r => r.resourceType))
  t.ok(types.size >= 8, `the corpus holds ${types.size} resource types`)
  let compared = 0
  let compiledParts = 0
  for (const type of SUPPORTED_RESOURCE_TYPES) {
    for (const def of registry.params(type).values()) {
      for (const part of def.expression) {
        if (part.compiled === undefined) continue
        compiledParts++
        for (const resource of resources.filter(r => r.resourceType === type)) {
          const compiled = part.compiled(resource)
          if (compiled === undefined) continue
          const input = [toTypedValue(resource)]
          const interpreted = part.atom.eval({ variables: { '%resource': input[0] as TypedValue } }, input)
          compared++
          // Indexing reads a value's type, value and element path (without indexes).
          const typeAndValue = (values: TypedValue[]): string => JSON.stringify(values.map(v => [
            v.type, v.value, (v as TypedValue & { path?: string }).path?.replace(/\[\d+\]/g, '')
          ]))
          if (typeAndValue(compiled) !== typeAndValue(interpreted)) {
            t.fail(`${type} ${def.code}: ${def.expressionText}`, { found: compiled, wanted: interpreted })
          }
        }
      }
    }
  }
  t.ok(compiledParts > 300, `${compiledParts} expression parts are compiled`)
  t.ok(compared > 2000, `${compared} evaluations compared`)
})

t.test('compiled composite components give what the FHIRPath interpreter gives', async t => {
  const resources = corpus()
  let compared = 0
  const typeValueAndPath = (values: TypedValue[]): string => JSON.stringify(values.map(v => [
    v.type, v.value, (v as TypedValue & { path?: string }).path?.replace(/\[\d+\]/g, '')
  ]))
  for (const type of SUPPORTED_RESOURCE_TYPES) {
    for (const def of registry.params(type).values()) {
      for (const component of def.components) {
        for (const resource of resources.filter(r => r.resourceType === type)) {
          const input = [toTypedValue(resource)]
          const contexts = def.expression.flatMap(part => part.atom.eval({ variables: { '%resource': input[0] as TypedValue } }, input))
          for (const context of contexts) {
            const compiled = component.compiled(context)
            if (compiled === undefined) continue
            compared++
            const interpreted = component.expression.eval({ variables: {} }, [context])
            if (typeValueAndPath(compiled) !== typeValueAndPath(interpreted)) t.fail(`${type} ${def.code}`, { found: compiled, wanted: interpreted })
          }
        }
      }
    }
  }
  t.ok(compared > 500, `${compared} component evaluations compared`)
})

t.test('paths the compiler does not handle are left to the interpreter', async t => {
  const observationCode = registry.get('Observation', 'code')?.expression[0]
  t.ok(observationCode?.compiled, 'Observation.code is compiled')
  const valueQuantity = registry.get('Observation', 'value-quantity')?.expression[0]
  t.ok(valueQuantity?.compiled, '(Observation.value.ofType(Quantity)) is compiled')
  const valueText = registry.get('Observation', 'value-string')?.expression[1]
  t.ok(valueText?.compiled, '(Observation.value.ofType(CodeableConcept)).text is compiled')
  const email = registry.get('Patient', 'email')?.expression[0]
  t.equal(email?.compiled, undefined, "Patient.telecom.where(system='email') is interpreted")
  const withExtension = { resourceType: 'Patient', gender: 'female', _gender: { extension: [{ url: 'https://example.org/x', valueString: 'y' }] } } as Resource
  t.equal(registry.get('Patient', 'gender')?.expression[0]?.compiled?.(withExtension), undefined, 'a primitive with extensions is interpreted')
})
