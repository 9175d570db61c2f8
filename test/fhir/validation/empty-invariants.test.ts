/**
 * Invariants that only require elements to be empty are skipped where those elements are absent
 * (src/fhir/validation/empty-invariants.ts). That the quick pass still gives medplum's verdict on
 * every R4 example and a broken copy of each is test/fhir/validation/quick-structure.test.ts.
 */
import { test } from 'tap'
import { elementsRequiredEmpty, hasNoneOf } from '../../../src/fhir/validation/empty-invariants.js'

test('only conjunctions of element.empty() terms qualify, keyed by their first element', async (t) => {
  t.same(elementsRequiredEmpty('contained.contained.empty()'), ['contained'])
  t.same(elementsRequiredEmpty('contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()'), ['contained', 'contained'])
  t.same(elementsRequiredEmpty('comparator.empty()'), ['comparator'])
  for (const other of [
    'Patient.name.empty()', // a type filter, not an element
    'comparator.empty() or value.exists()',
    'comparator.empty().not()',
    '(comparator.empty())',
    'extension.exists() != value.exists()',
    '%resource.contained.empty()',
    '$this.empty()'
  ]) t.equal(elementsRequiredEmpty(other), undefined, other)
})

test('an element counts as present in any of its JSON forms', async (t) => {
  t.equal(hasNoneOf({ value: 1, unit: 'kg' }, ['comparator']), true)
  t.equal(hasNoneOf({ comparator: '<' }, ['comparator']), false)
  t.equal(hasNoneOf({ _comparator: { extension: [] } }, ['comparator']), false, 'extension-only primitive')
  t.equal(hasNoneOf({ valueString: 'x' }, ['value']), false, 'a typed choice variant')
  t.equal(hasNoneOf({ values: 'x' }, ['value']), true, 'a longer name is another element')
  t.equal(hasNoneOf({ id: 'a', meta: {} }, ['contained', 'text']), true)
})
