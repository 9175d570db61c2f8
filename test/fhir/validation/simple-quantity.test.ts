/** R4 sqty-1: no comparator on a SimpleQuantity (Range.low/high, referenceRange, …). */
import { test } from 'tap'
import { buildTestApp, FHIR, FHIR_JSON, versionCount } from '../../helper.js'

const observation = (value: Record<string, unknown>): Record<string, unknown> => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://snomed.info/sct', code: '225908003' }] },
  ...value
})

test('a comparator on a SimpleQuantity is refused where it is, and nothing is stored', async (t) => {
  const { app } = await buildTestApp(t)
  const refused: Array<[Record<string, unknown>, string]> = [
    [{ valueRange: { low: { value: 1, comparator: '<' }, high: { value: 10 } } }, 'Observation.valueRange.low.comparator'],
    [{ valueQuantity: { value: 4 }, referenceRange: [{ low: { value: 1 } }, { high: { value: 9, comparator: '<=' } }] }, 'Observation.referenceRange[1].high.comparator'],
    // An extension-only comparator is still a comparator.
    [{ valueRange: { high: { value: 3, _comparator: { extension: [{ url: 'http://example.org/why', valueString: 'x' }] } } } }, 'Observation.valueRange.high.comparator'],
    // Inside an extension's value as well.
    [{ valueBoolean: true, extension: [{ url: 'http://example.org/range', valueRange: { low: { value: 1, comparator: '>' } } }] }, 'Observation.extension[0].valueRange.low.comparator'],
    // And in a contained resource.
    [{
      contained: [observation({ id: 'inner', valueRange: { low: { value: 2, comparator: '<' } } })],
      hasMember: [{ reference: '#inner' }]
    }, 'Observation.contained[0].valueRange.low.comparator']
  ]
  for (const [value, expression] of refused) {
    const res = await app.inject({ method: 'POST', url: `${FHIR}/Observation`, headers: FHIR_JSON, payload: observation(value) })
    t.equal(res.statusCode, 422, expression)
    const outcome = res.json()
    t.equal(outcome.resourceType, 'OperationOutcome')
    const issue = outcome.issue.find((i: any) => i.details?.text?.includes('sqty-1'))
    t.ok(issue, 'names sqty-1')
    t.same(issue?.expression, [expression])
  }
  t.equal(await versionCount(app, 'Observation'), 0, 'nothing stored')

  // A plain Quantity may carry a comparator; a SimpleQuantity without one is fine.
  for (const value of [{ valueQuantity: { value: 5, comparator: '<' } }, { valueRange: { low: { value: 1 }, high: { value: 10 } } }]) {
    const res = await app.inject({ method: 'POST', url: `${FHIR}/Observation`, headers: FHIR_JSON, payload: observation(value) })
    t.equal(res.statusCode, 201, JSON.stringify(value))
  }
})
