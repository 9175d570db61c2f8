/** A payload JSON Schema as a logical model: the engine then appends repeated fields and types nested objects. */
import t from 'tap'
import { parseMappingLanguage, structureMapTransform, toTypedValue } from '@medplum/core'
import { logicalModelOf, registerLogicalModel } from '../../src/mapping/logical-model.js'
import { loadBaseDefinitions } from '../../src/fhir/validation/base-definitions.js'

const schema = {
  type: 'object',
  required: ['id'],
  $defs: { code: { type: 'object', properties: { code: { type: 'string' } } } },
  properties: {
    id: { type: 'string' },
    count: { type: 'integer' },
    score: { type: 'number' },
    flags: { type: 'array', items: { type: 'boolean' } },
    items: { type: 'array', items: { type: 'object', properties: { label: { type: 'string' }, codes: { type: 'array', items: { $ref: '#/$defs/code' } } } } }
  }
}

t.test('elements, cardinality and types follow the schema', async (t) => {
  const model = logicalModelOf('LmTestPayload', 'https://example.org/lm-test', schema)
  t.equal(model.kind, 'logical')
  t.equal(model.type, 'https://example.org/lm-test')
  t.same(model.snapshot?.element.map(e => [e.path, e.min, e.max, e.type?.[0]?.code]), [
    ['LmTestPayload', 0, '1', undefined],
    ['LmTestPayload.id', 1, '1', 'string'],
    ['LmTestPayload.count', 0, '1', 'integer'],
    ['LmTestPayload.score', 0, '1', 'decimal'],
    ['LmTestPayload.flags', 0, '*', 'boolean'],
    ['LmTestPayload.items', 0, '*', 'BackboneElement'],
    ['LmTestPayload.items.label', 0, '1', 'string'],
    ['LmTestPayload.items.codes', 0, '*', 'BackboneElement'],
    ['LmTestPayload.items.codes.code', 0, '1', 'string']
  ])
  t.throws(() => logicalModelOf('LmBad', 'https://example.org/lm-bad', { properties: { a: { $ref: 'other.json#/x' } } }), /only local #\/\$defs references/)
})

t.test('a map into the registered model appends repeated fields instead of overwriting them', async (t) => {
  loadBaseDefinitions()
  const type = registerLogicalModel('LmTestPayload', 'https://example.org/lm-test', schema)
  const map = parseMappingLanguage(`
    map "https://example.org/StructureMap/lm-test" = LmTest
    group LmTest(source src : Patient, target out) {
      src.id as patientId -> out.id = patientId "id";
      src.name as patName -> out.items as item then {
        patName.family as familyName -> item.label = familyName "label";
        patName.given as givenName -> item.codes as code, code.code = givenName "codes";
      } "items";
    }`)
  const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'A', given: ['x', 'y'] }, { family: 'B', given: ['z'] }] }
  const typed = structureMapTransform(map, [toTypedValue(patient), { type, value: {} }])[0]?.value
  t.same(typed, { id: 'p1', items: [{ label: 'A', codes: [{ code: 'x' }, { code: 'y' }] }, { label: 'B', codes: [{ code: 'z' }] }] })
  const untyped = structureMapTransform(map, [toTypedValue(patient)])[0]?.value
  t.same(untyped, { id: 'p1', items: { label: 'B', codes: { code: 'z' } } }, 'without the model the last item wins: why the model exists')
})
