/**
 * Which search parameters share index rows (src/fhir/search/shared-storage.ts): a parameter that
 * repeats other parameters' expressions is searched through their rows, and parameters that other
 * code names by code (the access policy, the compound indexes) always keep rows of their own.
 */
import { test } from 'tap'
import type { SearchParameter } from '@medplum/fhirtypes'
import { buildSearchRegistry } from '../../src/fhir/search/registry.js'
import { SUPPORTED_RESOURCE_TYPES } from '../../src/fhir/resource-types.js'
import { loadSearchParameters } from '../../src/fhir/validation/search-parameters.js'
import { COMPOUND_INDEXES } from '../../src/store/compound-index.js'

const ownParameters = await loadSearchParameters('./profiles')
const registry = buildSearchRegistry(SUPPORTED_RESOURCE_TYPES, ownParameters)

test('a parameter made of other parameters is searched through their rows', async (t) => {
  const storage = (type: string, code: string): unknown => {
    const def = registry.get(type, code)
    return { storedAs: def?.storedAs, indexed: def?.indexed.map(part => part.text) }
  }
  t.same(storage('Observation', 'combo-code'), { storedAs: ['code', 'component-code'], indexed: [] }, 'R4 combo-code is code | component-code')
  t.same(storage('Observation', 'instrument'), { storedAs: ['code', 'component-code'], indexed: [] }, 'our instrument repeats combo-code')
  t.same(storage('Observation', 'combo-value-quantity'), { storedAs: ['component-value-quantity', 'value-quantity'], indexed: [] })
  t.same(storage('Observation', 'combo-code-value-quantity'), { storedAs: ['code-value-quantity', 'component-code-value-quantity'], indexed: [] },
    'a composite borrows only from composites with the same components')
  t.same(storage('Patient', 'phonetic'), { storedAs: ['name'], indexed: [] }, 'phonetic has the same expression as name')
  t.same(storage('Organization', 'name'), { storedAs: ['name', 'phonetic'], indexed: ['Organization.alias'] },
    'a parameter indexes the parts no other parameter holds alone')
  t.same(storage('Observation', 'code'), { storedAs: ['code'], indexed: ['Observation.code'] })
  t.same(storage('Observation', 'patient'), { storedAs: ['patient'], indexed: ['Observation.subject'] },
    'a part with a type test is not the same part as the plain path')
})

test('parameters that other code names by code keep rows of their own', async (t) => {
  // src/auth/access-policy.ts and src/store/access-sql.ts read these rows by code.
  const named: Array<readonly [string, string]> = [
    ['Organization', 'identifier'], ['HealthcareService', 'organization'], ['PractitionerRole', 'organization'],
    ['Consent', 'patient'], ['Consent', 'status'], ['Consent', 'purpose'], ['Consent', 'provision-type'], ['Consent', 'period'],
    ['ServiceRequest', 'requester'], ['ServiceRequest', 'performer'], ['ServiceRequest', 'subject'], ['ServiceRequest', 'based-on'],
    ['Patient', 'general-practitioner'], ['Patient', 'organization'], ['Task', 'focus'], ['Task', 'owner'], ['Task', 'patient'],
    ['Observation', 'performer'], ['Observation', 'based-on'],
    ...['Observation', 'QuestionnaireResponse', 'Condition', 'Goal', 'CarePlan', 'Consent', 'Communication', 'RelatedPerson', 'Provenance']
      .map(type => [type, 'patient'] as const),
    ...['QuestionnaireResponse', 'Condition', 'Goal', 'CarePlan', 'Communication', 'RelatedPerson', 'Provenance']
      .filter(type => registry.get(type, 'author') !== undefined).map(type => [type, 'author'] as const),
    ...COMPOUND_INDEXES.flatMap(c => [c.token, c.date, ...(c.quantity === undefined ? [] : [c.quantity])].map(code => [c.type, code] as const))
  ]
  for (const [type, code] of named) {
    const def = registry.get(type, code)
    t.ok(def !== undefined && def.storedAs.length === 1 && def.storedAs[0] === code && def.indexed.length === def.expression.length, `${type}.${code}`)
  }
})

test('a SearchParameter added under profiles/ borrows rows but never lends them', async (t) => {
  const again = (code: string, expression: string): SearchParameter => ({
    resourceType: 'SearchParameter', url: `https://example.org/SearchParameter/${code}`, name: code, status: 'active',
    description: code, code, base: ['Observation'], type: 'token', expression
  })
  const withMore = buildSearchRegistry(SUPPORTED_RESOURCE_TYPES, [...ownParameters, again('a-code', 'Observation.code'), again('a-subject-code', 'Observation.category')])
  t.same(withMore.get('Observation', 'a-code')?.storedAs, ['code'], 'a repeat of a standard parameter borrows its rows')
  t.same(withMore.get('Observation', 'code')?.storedAs, ['code'], 'and the standard parameter keeps them, whatever the codes sort as')
  const twin = buildSearchRegistry(SUPPORTED_RESOURCE_TYPES, [again('a-first', 'Observation.basedOn.identifier'), again('b-second', 'Observation.basedOn.identifier')])
  t.same([twin.get('Observation', 'a-first')?.storedAs, twin.get('Observation', 'b-second')?.storedAs], [['a-first'], ['b-second']],
    'two added parameters with one expression each keep their own rows')
})
