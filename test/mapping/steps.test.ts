/** The named steps mapping manifests may use, each on its own, and the runner that applies them. */
import { test } from 'tap'
import { applySteps, type StepCall } from '../../src/mapping/apply-steps.js'
import { selectPointer } from '../../src/mapping/json-pointer.js'
import { STEPS } from '../../src/mapping/steps/index.js'
import { splitCodeDisplay } from '../../src/mapping/steps/code-display.js'
import { pruneEmpty } from '../../src/mapping/steps/prune-empty.js'
import type { StepEnvironment } from '../../src/mapping/steps/step.js'
import { ukDateToFhir } from '../../src/mapping/steps/uk-date.js'
import { stableUuids } from '../../src/mapping/stable-uuids.js'
import { buildTerminology } from '../../src/terminology/terminology.js'

const env: StepEnvironment = {
  conceptMaps: new Map([['https://example.org/ConceptMap/sex', {
    resourceType: 'ConceptMap',
    status: 'active',
    url: 'https://example.org/ConceptMap/sex',
    group: [{ source: 'urn:form', target: 'http://hl7.org/fhir/administrative-gender', element: [{ code: 'M', target: [{ code: 'male', equivalence: 'equivalent' }] }] }]
  }]]),
  terminology: buildTerminology([{
    resourceType: 'CodeSystem', url: 'https://example.org/cs', status: 'active', content: 'complete', concept: [{ code: 'a' }]
  }, {
    resourceType: 'ValueSet', url: 'https://example.org/vs', status: 'active', compose: { include: [{ system: 'https://example.org/cs' }] }
  }])
}

function call (name: string, at: string[] = [], options: Record<string, unknown> = {}): StepCall {
  const step = STEPS.get(name)
  if (step === undefined) throw new Error(`no step ${name}`)
  return { step, at, options }
}

test('uk-date: dd/MM/yyyy to a FHIR date, impossible dates refused', async (t) => {
  t.equal(ukDateToFhir('14/03/1950'), '1950-03-14')
  t.equal(ukDateToFhir('1/2/2024'), '2024-02-01', 'one-digit day and month')
  t.equal(ukDateToFhir('29/02/2024'), '2024-02-29', 'leap day')
  t.equal(ukDateToFhir('29/02/2023'), undefined, 'no leap day in 2023')
  t.equal(ukDateToFhir('31/04/2024'), undefined)
  t.equal(ukDateToFhir('2024-02-01'), undefined, 'ISO is not a UK date')
  t.equal(ukDateToFhir('12/13/2024'), undefined, 'month 13')
  const result = applySteps({ dob: '30/02/2000', seen: '01/12/2025' }, [call('uk-date', ['/dob', '/seen', '/absent'])], env)
  t.same(result.problems, [{ pointer: '/dob', message: 'is not a real date in the form dd/MM/yyyy' }])
  t.same(result.document, { dob: '30/02/2000', seen: '2025-12-01' }, 'a bad value is left as sent; absent fields are skipped')
})

test('nhs-number: spaces removed, Modulus 11 checked', async (t) => {
  const ok = applySteps({ nhs: '943 476 5919' }, [call('nhs-number', ['/nhs'])], env)
  t.same(ok, { document: { nhs: '9434765919' }, problems: [] })
  const bad = applySteps({ nhs: '943-476-5918' }, [call('nhs-number', ['/nhs'])], env)
  t.match(bad.problems, [{ pointer: '/nhs', message: /Modulus 11/ }])
  const wrongType = applySteps({ nhs: 9434765919 }, [call('nhs-number', ['/nhs'])], env)
  t.match(wrongType.problems, [{ pointer: '/nhs', message: /text/ }])
})

test('code-display: "code|display" split', async (t) => {
  t.same(splitCodeDisplay('LON|Loneliness'), { code: 'LON', display: 'Loneliness' })
  t.same(splitCodeDisplay(' LON '), { code: 'LON' })
  t.same(splitCodeDisplay('A|b|c'), { code: 'A', display: 'b|c' }, 'only the first bar splits')
  t.equal(splitCodeDisplay('|Loneliness'), undefined)
  t.equal(splitCodeDisplay('two words|x'), undefined)
  const result = applySteps({ reasons: ['LON|Loneliness', '|nothing'] }, [call('code-display', ['/reasons/*'])], env)
  t.same(result.document, { reasons: [{ code: 'LON', display: 'Loneliness' }, '|nothing'] })
  t.same(result.problems.map(p => p.pointer), ['/reasons/1'])
})

test('known-code: ConceptMap source codes or ValueSet members', async (t) => {
  const byMap = call('known-code', ['/sex'], { conceptMap: 'https://example.org/ConceptMap/sex' })
  t.same(applySteps({ sex: 'M' }, [byMap], env).problems, [])
  t.match(applySteps({ sex: 'X' }, [byMap], env).problems, [{ pointer: '/sex', message: /"X" is not a code/ }])
  const byValueSet = call('known-code', ['/codes/*'], { valueSet: 'https://example.org/vs', system: 'https://example.org/cs', property: 'code' })
  t.same(applySteps({ codes: [{ code: 'a' }, { code: 'b' }] }, [byValueSet], env).problems.map(p => p.pointer), ['/codes/1'])
  t.equal(STEPS.get('known-code')?.checkOptions({ conceptMap: 'https://example.org/other' }, env), 'no ConceptMap https://example.org/other in the mapping folder')
  t.equal(STEPS.get('known-code')?.checkOptions({ valueSet: 'https://example.org/vs' }, env), 'valueSet needs system')
})

test('trim and prune-empty', async (t) => {
  const result = applySteps({ a: '  x ', b: '   ', list: ['', ' y'] }, [call('trim', ['/a', '/b', '/list/*'])], env)
  t.same(result.document, { a: 'x', list: ['y'] }, 'emptied fields and items are dropped')
  t.same(pruneEmpty({ a: {}, b: [], c: [{}, { d: '' }], e: 0, f: false, g: { h: 'x' } }), { e: 0, f: false, g: { h: 'x' } })
  t.same(applySteps({ a: { b: {} } }, [call('prune-empty')], env).document, {})
})

test('JSON Pointer wildcards and escapes', async (t) => {
  const doc = { 'a/b': { '~c': 1 }, list: [{ x: 1 }, { y: 2 }, { x: 3 }] }
  t.same(selectPointer(doc, '/a~1b/~0c').map(m => m.value), [1])
  t.same(selectPointer(doc, '/list/*/x').map(m => m.pointer), ['/list/0/x', '/list/2/x'])
  t.same(selectPointer(doc, '/list/1/y').map(m => m.value), [2])
  t.same(selectPointer(doc, '/missing/*'), [])
})

test('stable urn:uuids: same payload, same ids; references stay consistent', async (t) => {
  const output = { entry: [{ fullUrl: 'urn:uuid:11111111-1111-4111-8111-111111111111' }, { ref: 'urn:uuid:11111111-1111-4111-8111-111111111111', other: 'urn:uuid:22222222-2222-4222-8222-222222222222' }] }
  // stableUuids renames in place: each call gets its own copy.
  const a = stableUuids(structuredClone(output), 'seed') as typeof output
  const b = stableUuids(structuredClone(output), 'seed') as typeof output
  t.same(a, b)
  t.equal(a.entry[0]?.fullUrl, (a.entry[1] as { ref: string }).ref)
  t.not(a.entry[0]?.fullUrl, (a.entry[1] as { other: string }).other)
  t.match(a.entry[0]?.fullUrl, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  t.not((stableUuids(structuredClone(output), 'other seed') as typeof output).entry[0]?.fullUrl, a.entry[0]?.fullUrl)
})

test('merge-conditional-creates: one entry per conditional create, references follow', async (t) => {
  const bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: 'urn:uuid:a', request: { method: 'POST', url: 'Organization', ifNoneExist: 'identifier=ods|Y1' }, resource: { name: 'first' } },
      { fullUrl: 'urn:uuid:b', request: { method: 'POST', url: 'Organization', ifNoneExist: 'identifier=ods|Y1' }, resource: { name: 'second' } },
      { fullUrl: 'urn:uuid:c', request: { method: 'POST', url: 'Organization', ifNoneExist: 'identifier=ods|Y2' } },
      { fullUrl: 'urn:uuid:d', request: { method: 'POST', url: 'Task' }, resource: { owner: { reference: 'urn:uuid:b' }, requester: { reference: 'urn:uuid:a' } } }
    ]
  }
  const merged = applySteps(bundle, [call('merge-conditional-creates')], env).document as typeof bundle
  t.same(merged.entry.map(e => e.fullUrl), ['urn:uuid:a', 'urn:uuid:c', 'urn:uuid:d'])
  t.same(merged.entry[2]?.resource, { owner: { reference: 'urn:uuid:a' }, requester: { reference: 'urn:uuid:a' } })
  const plain = { resourceType: 'Bundle', entry: [bundle.entry[0], bundle.entry[2]] }
  t.equal(applySteps(plain, [call('merge-conditional-creates')], env).document, plain, 'nothing to merge: the same document')
})
