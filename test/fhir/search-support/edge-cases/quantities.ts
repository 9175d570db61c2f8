/**
 * Quantity and composite search, https://hl7.org/fhir/R4/search.html#quantity: eq and ne use the
 * search value's implicit precision (5.4 is [5.35, 5.45)); units by system|code, ||code or the
 * unit as written; composites pair a code with a value (code-value-quantity=system|code$value).
 */
import type { EdgeSection } from './edge-case.js'

const UCUM = 'http://unitsofmeasure.org'
const weight = (value: Record<string, unknown> | undefined, code = '29463-7'): Record<string, unknown> => ({
  resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code }] }, ...(value === undefined ? {} : { valueQuantity: value })
})

export const quantities: EdgeSection = {
  name: 'quantity',
  resources: {
    q54: weight({ value: 5.4, unit: 'kg', system: UCUM, code: 'kg' }),
    q5: weight({ value: 5, unit: 'kg', system: UCUM, code: 'kg' }),
    q100g: weight({ value: 100, unit: 'gram', system: UCUM, code: 'g' }),
    q6lb: weight({ value: 6, unit: 'lb', system: UCUM, code: '[lb_av]' }, '8867-4'),
    noValue: weight(undefined)
  },
  cases: [
    { search: 'Observation?value-quantity=5.4', expect: ['q54'] }, // regression: was a 500 (an SQL parameter bound but never used)
    { search: 'Observation?value-quantity=5', expect: ['q54', 'q5'], why: '5 means [4.5, 5.5)' }, // regression: was a 500 (an SQL parameter bound but never used)
    { search: 'Observation?value-quantity=5.40', expect: ['q54'] }, // regression: was a 500 (an SQL parameter bound but never used)
    { search: 'Observation?value-quantity=ne5', expect: ['q100g', 'q6lb'] }, // regression: was a 500 (an SQL parameter bound but never used)
    { search: 'Observation?value-quantity=lt5.4', expect: ['q5'] },
    { search: 'Observation?value-quantity=gt5', expect: ['q54', 'q100g', 'q6lb'] },
    { search: 'Observation?value-quantity=ge5||kg', expect: ['q54', 'q5'] },
    { search: 'Observation?value-quantity=lt10||kg', expect: ['q54', 'q5'], why: 'other units never match' },
    { search: `Observation?value-quantity=le100|${UCUM}|g`, expect: ['q100g'] },
    { search: 'Observation?value-quantity=gt1||gram', expect: ['q100g'], why: 'the unit as written matches too' },
    { search: 'Observation?value-quantity=ge5.4,le5', expect: ['q54', 'q100g', 'q6lb', 'q5'] },
    { search: 'Observation?value-quantity=gt5&value-quantity=lt50', expect: ['q54', 'q6lb'] },
    { search: 'Observation?value-quantity:missing=true', expect: ['noValue'] },
    { search: 'Observation?code-value-quantity=http://loinc.org|29463-7$gt5', expect: ['q54', 'q100g'] },
    { search: 'Observation?code-value-quantity=http://loinc.org|8867-4$lt10', expect: ['q6lb'] },
    { search: 'Observation?code-value-quantity=http://loinc.org|29463-7$5.4', expect: ['q54'] }, // regression: was a 500 (an SQL parameter bound but never used)
  ]
}
