/** A broken mapping stops start-up with a message naming the file (and the line, for FML). */
import { test, type Test } from 'tap'
import { loadMappings } from '../../src/mapping/load-mappings.js'
import { buildTerminology } from '../../src/terminology/terminology.js'
import { buildTestApp } from '../helper.js'

const terminology = buildTerminology([])
const manifest = (extra: Record<string, unknown> = {}): string => JSON.stringify({ name: 'm', version: '1.0.0', title: 'T', format: 'json', direction: 'inbound', map: 'm.map', schema: 'schema.json', ...extra })
const schema = JSON.stringify({ type: 'object' })
const goodMap = 'map "https://example.org/StructureMap/m" = M\n\ngroup main(source src, target tgt : Patient) {\n  src.family as f -> tgt.name as n, n.family = f "family";\n}\n'

async function loadError (t: Test, files: Record<string, string>): Promise<string> {
  const dir = t.testdir({ m: files })
  try {
    await loadMappings(dir, { terminology, cwd: dir })
  } catch (err) {
    return (err as Error).message
  }
  return 'loaded'
}

test('load errors name the file and, for FML, the line', async (t) => {
  t.match(await loadError(t, { 'mapping.json': manifest(), 'schema.json': schema, 'm.map': goodMap.replace('n.family = f', 'n.family = = f') }),
    /^m\/m\.map: line 4, column \d+: /, 'FML syntax error')
  t.match(await loadError(t, { 'mapping.json': manifest(), 'schema.json': schema, 'm.map': goodMap.replace('n.family = f "family"', 'n.family = dateOp(f) "family"') }),
    /^m\/m\.map line 4 \(rule family in group main\): transform dateOp\(\) is not supported/, 'unsupported transform')
  t.match(await loadError(t, { 'mapping.json': manifest(), 'schema.json': schema, 'm.map': goodMap.replace('tgt.name as n', 'tgt.name = create(\'Nonsense\') as n') }),
    /^m\/m\.map line 4 .*create\('Nonsense'\) names no FHIR R4 type/)
  t.match(await loadError(t, { 'mapping.json': manifest(), 'schema.json': schema, 'm.map': goodMap.replace('"family";', 'then missing(f, n) "family";') }),
    /m\/m\.map line 4: rule family calls group missing/)
  t.match(await loadError(t, { 'mapping.json': manifest({ pre: [{ step: 'no-such-step', at: ['/a'] }] }), 'schema.json': schema, 'm.map': goodMap }),
    /^m\/mapping\.json pre\[0\]: no step named no-such-step/)
  t.match(await loadError(t, { 'mapping.json': manifest({ pre: [{ step: 'uk-date' }] }), 'schema.json': schema, 'm.map': goodMap }),
    /pre\[0\]: step uk-date needs "at"/)
  t.match(await loadError(t, { 'mapping.json': manifest({ version: 'one' }), 'schema.json': schema, 'm.map': goodMap }),
    /^m\/mapping\.json: \/version must match pattern/)
  t.match(await loadError(t, { 'mapping.json': manifest(), 'schema.json': '{ "type": "object",\n "properties": 3 }', 'm.map': goodMap }),
    /^m\/schema\.json: /, 'a schema ajv cannot compile')
  t.match(await loadError(t, { 'mapping.json': manifest(), 'schema.json': '{ "type": ', 'm.map': goodMap }),
    /^m\/schema\.json: .*JSON/, 'a schema that is not JSON')
  t.match(await loadError(t, { 'mapping.json': manifest({ name: 'other' }), 'schema.json': schema, 'm.map': goodMap }),
    /name other must be the folder name m/)
  t.equal(await loadError(t, { 'mapping.json': manifest(), 'schema.json': schema, 'm.map': goodMap }), 'loaded', 'the good one loads')
})

test('the gateway does not start with a broken mapping', async (t) => {
  const dir = t.testdir({ m: { 'mapping.json': manifest(), 'schema.json': schema, 'm.map': goodMap.replace('->', '=>') } })
  await t.rejects(buildTestApp(t, { MAPPINGS_DIR: dir }), /m\.map/)
})

test('the same mappings load twice in one process (two gateways, or a test after another)', async (t) => {
  const dir = t.testdir({ m: { 'mapping.json': manifest(), 'schema.json': JSON.stringify({ $id: 'https://example.org/m/schema.json', type: 'object' }), 'm.map': goodMap } })
  await loadMappings(dir, { terminology })
  const again = await loadMappings(dir, { terminology })
  t.equal(again.mappings.length, 1)
})

test('a mapping naming a ValueSet this gateway does not hold loads, but cannot run (503)', async (t) => {
  const dir = t.testdir({ m: { 'mapping.json': manifest({ pre: [{ step: 'known-code', at: ['/code'], valueSet: 'https://example.org/vs', system: 'https://example.org/cs' }] }), 'schema.json': schema, 'm.map': goodMap } })
  const registry = await loadMappings(dir, { terminology })
  const mapping = registry.get('m')
  t.match(mapping?.unavailable, /ValueSet https:\/\/example\.org\/vs is not held/)
  const { runMapping } = await import('../../src/mapping/run-mapping.js')
  t.throws(() => runMapping(mapping as NonNullable<typeof mapping>, { family: 'x' }), { category: 'unavailable', message: /cannot run on this gateway/ })
})
