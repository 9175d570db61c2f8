/** Every fixture of every mapping under mappings/, as `npm run mappings:test` runs them, so CI runs them too. */
import { test } from 'tap'
import { main, loadRegistry } from '../../src/mapping/cli.js'
import { listFixtures, runFixture } from '../../src/mapping/fixtures.js'

test('every fixture of every mapping gives its expected output', async (t) => {
  const registry = await loadRegistry({ PROFILES_DIR: './profiles', MAPPINGS_DIR: './mappings' })
  t.ok(registry.mappings.length > 0, 'mappings are loaded')
  for (const mapping of registry.mappings) {
    const fixtures = await listFixtures(mapping)
    if (mapping.direction === 'inbound') t.ok(fixtures.length >= 3, `${mapping.name} has fixtures (normal, minimal, awkward at least)`)
    for (const fixture of fixtures) {
      const result = await runFixture(fixture)
      t.equal(result.diff, undefined, `${mapping.name}/${fixture.name}`)
    }
  }
})

test('mappings:test reports a mismatch with a diff and exit code 1', async (t) => {
  const lines: string[] = []
  const dir = t.testdir({
    broken: {
      'mapping.json': JSON.stringify({ name: 'broken', version: '0.0.1', title: 'Copies a name', format: 'json', direction: 'inbound', map: 'broken.map', schema: 'schema.json' }),
      'broken.map': 'map "https://example.org/StructureMap/broken" = Broken\ngroup main(source src, target tgt : Patient) {\n  src.family as f -> tgt.name as n, n.family = f "family";\n}\n',
      'schema.json': JSON.stringify({ type: 'object', properties: { family: { type: 'string' } } }),
      fixtures: {
        'one.input.json': JSON.stringify({ family: 'Smith' }),
        'one.expected.json': JSON.stringify({ resourceType: 'Patient', name: [{ family: 'Smyth' }] })
      }
    }
  })
  const previous = process.env.MAPPINGS_DIR
  process.env.MAPPINGS_DIR = dir
  t.teardown(() => { if (previous === undefined) delete process.env.MAPPINGS_DIR; else process.env.MAPPINGS_DIR = previous })
  const code = await main(['mappings:test'], line => lines.push(line))
  t.equal(code, 1)
  const output = lines.join('\n')
  t.match(output, /FAIL broken\/one/)
  t.match(output, /Smith/)
  t.match(output, /Smyth/)
  t.match(output, /0 of 1 fixtures match/)

  lines.length = 0
  t.equal(await main(['map', 'broken', `${dir}/broken/fixtures/one.input.json`], line => lines.push(line)), 0, 'map prints one output')
  t.same(JSON.parse(lines.join('\n')), { resourceType: 'Patient', name: [{ family: 'Smith' }] })
})
