/**
 * Observations in every shape the compound index (src/store/compound-index.ts) treats apart:
 * points, a whole day, periods inside, across and open, several dates (Timing), several codings,
 * no value, a unit without a system, no date.
 */
// Codes outside the wellbeing instruments, whose own rules (score ranges, category) are not the
// point here; the searches have the shape of the bench's SWEMWBS query.
export const LOINC = 'http://loinc.org'
export const WEIGHT = '29463-7'
export const HEIGHT = '8302-2'
const UCUM = 'http://unitsofmeasure.org'

export function observation (id: string, code: string | string[], effective: Record<string, unknown>, value?: number | Record<string, unknown>): Record<string, unknown> {
  const codes = Array.isArray(code) ? code : [code]
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: codes.map(c => ({ system: LOINC, code: c })) },
    ...effective,
    ...(value === undefined ? {} : { valueQuantity: typeof value === 'number' ? { value, unit: 'score', system: UCUM, code: '{score}' } : value })
  }
}

export const OBSERVATIONS = [
  observation('point-low', WEIGHT, { effectiveDateTime: '2025-05-10T10:00:00Z' }, 12),
  observation('point-high', WEIGHT, { effectiveDateTime: '2025-05-10T11:00:00Z' }, 20),
  observation('day', WEIGHT, { effectiveDateTime: '2025-06-30' }, 9),
  observation('offset-edge', WEIGHT, { effectiveDateTime: '2025-03-31T23:30:00-01:00' }, 11),
  observation('before', WEIGHT, { effectiveDateTime: '2025-03-31T23:59:59Z' }, 8),
  observation('after', WEIGHT, { effectiveDateTime: '2025-07-01T00:00:00Z' }, 8),
  observation('period-inside', WEIGHT, { effectivePeriod: { start: '2025-04-02', end: '2025-06-20' } }, 10),
  observation('period-across', WEIGHT, { effectivePeriod: { start: '2025-02-01', end: '2025-05-20' } }, 10),
  observation('period-open', WEIGHT, { effectivePeriod: { start: '2025-05-01' } }, 13),
  observation('timing', WEIGHT, { effectiveTiming: { event: ['2025-01-15T09:00:00Z', '2025-05-15T09:00:00Z'] } }, 7),
  observation('timing-far', WEIGHT, { effectiveTiming: { event: ['2024-01-15T09:00:00Z', '2026-05-15T09:00:00Z'] } }, 7),
  observation('two-codes', [HEIGHT, WEIGHT], { effectiveDateTime: '2025-05-12T08:00:00Z' }, 13),
  observation('no-value', WEIGHT, { effectiveDateTime: '2025-05-13T08:00:00Z' }),
  observation('other-code', HEIGHT, { effectiveDateTime: '2025-05-13T08:00:00Z' }, 5),
  observation('unit-only', WEIGHT, { effectiveDateTime: '2025-05-14T08:00:00Z' }, { value: 6, unit: 'points' }),
  observation('no-date', WEIGHT, {}, 4)
]

