/**
 * Date precision and prefixes, https://hl7.org/fhir/R4/search.html#date: a value is the range its
 * precision covers; eq means the stored range lies within the search range; gt/lt mean it
 * reaches beyond; ge/le either; sa/eb starts after / ends before; open Period ends are unbounded.
 */
import type { EdgeSection } from './edge-case.js'

const observation = (effective: Record<string, unknown>): Record<string, unknown> =>
  ({ resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] }, ...effective })

const ALL_BORN = ['y2024', 'm202403', 'd20240301', 'd20240315', 'd20240229', 'd20241231', 'd20231231', 'y0019']

export const dates: EdgeSection = {
  name: 'date',
  resources: {
    y2024: { resourceType: 'Patient', birthDate: '2024' },
    m202403: { resourceType: 'Patient', birthDate: '2024-03' },
    d20240301: { resourceType: 'Patient', birthDate: '2024-03-01' },
    d20240315: { resourceType: 'Patient', birthDate: '2024-03-15' },
    d20240229: { resourceType: 'Patient', birthDate: '2024-02-29' },
    d20241231: { resourceType: 'Patient', birthDate: '2024-12-31' },
    d20231231: { resourceType: 'Patient', birthDate: '2023-12-31' },
    y0019: { resourceType: 'Patient', birthDate: '0019-05-01' },
    unborn: { resourceType: 'Patient' },
    lastSecond: observation({ effectiveDateTime: '2024-12-31T23:59:59Z' }),
    lastMilli: observation({ effectiveDateTime: '2024-12-31T23:59:59.999Z' }),
    newYear: observation({ effectiveDateTime: '2025-01-01T00:00:00Z' }),
    plusOne: observation({ effectiveDateTime: '2024-01-01T00:30:00+01:00' }), // 2023-12-31T23:30Z
    minusFive: observation({ effectiveDateTime: '2024-12-31T22:00:00-05:00' }), // 2025-01-01T03:00Z
    minute: observation({ effectiveDateTime: '2024-03-05T10:00:30+01:00' }), // 2024-03-05T09:00:30Z
    march: observation({ effectivePeriod: { start: '2024-03-01', end: '2024-03-31' } }),
    openEnd: observation({ effectivePeriod: { start: '2024-06-01' } }),
    openStart: observation({ effectivePeriod: { end: '2024-06-01' } }),
    // Valid R4, 10000-01-01T00:59:59Z in UTC: past what a four-digit ISO year can write
    // (regression: creating it was a 500).
    farFuture: observation({ effectiveDateTime: '9999-12-31T23:59:59-01:00' }),
    undated: observation({})
  },
  cases: [
    { search: 'Patient?birthdate=2024', expect: ['y2024', 'm202403', 'd20240301', 'd20240315', 'd20240229', 'd20241231'] },
    { search: 'Patient?birthdate=2024-12-31', expect: ['d20241231'], why: 'the year 2024 is wider than the day, so not within it' },
    { search: 'Patient?birthdate=2024-03', expect: ['m202403', 'd20240301', 'd20240315'] },
    { search: 'Patient?birthdate=2024-02', expect: ['d20240229'], why: 'a month ends on its own last day, not on the 31st' },
    { search: 'Patient?birthdate=ge2024-03', expect: ['y2024', 'm202403', 'd20240301', 'd20240315', 'd20241231'] },
    { search: 'Patient?birthdate=le2024-03', expect: ['y2024', 'm202403', 'd20240301', 'd20240315', 'd20240229', 'd20231231', 'y0019'] },
    { search: 'Patient?birthdate=lt2024-03', expect: ['y2024', 'd20240229', 'd20231231', 'y0019'] }, // regression: was a 500 (an SQL parameter bound but never used)
    { search: 'Patient?birthdate=gt2024-03', expect: ['y2024', 'd20241231'] }, // regression: was a 500 (an SQL parameter bound but never used)
    { search: 'Patient?birthdate=sa2024-02', expect: ['m202403', 'd20240301', 'd20240315', 'd20241231'] }, // regression: was a 500 (an SQL parameter bound but never used)
    { search: 'Patient?birthdate=eb2024', expect: ['d20231231', 'y0019'] }, // regression: was a 500 (an SQL parameter bound but never used)
    { search: 'Patient?birthdate=ne2024', expect: ['d20231231', 'y0019'], why: 'ne compares values; a patient without a birthDate has none' },
    { search: 'Patient?birthdate=0019', expect: ['y0019'] },
    { search: 'Patient?birthdate=1919', expect: [], why: 'the year 19 is not 1919' }, // regression: years 0–99 were read as 19xx
    { search: 'Patient?birthdate:missing=true', expect: ['unborn'] },
    { search: 'Patient?birthdate:missing=false', expect: ALL_BORN },
    { search: 'Patient?birthdate=2023,2024-02', expect: ['d20231231', 'd20240229'] },
    { search: 'Patient?birthdate=ge2024-03&birthdate=le2024-03', expect: ['y2024', 'm202403', 'd20240301', 'd20240315'] },
    // regression: ranges past year 9999 or before year 0 were sent to SQL as "+010000-…" (500)
    { search: 'Patient?birthdate=ap9275', expect: [], why: 'ap widens towards year 10000' },
    { search: 'Patient?birthdate=ap0050', expect: ['y0019'], why: 'ap widens below year 0' },
    { search: 'Patient?birthdate=ge9999-12-31T23:59:59-14:00', expect: [], why: 'that instant is in the year 10000 in UTC' },
    { search: 'Patient?_lastUpdated=ge2000-01-01', expect: [...ALL_BORN, 'unborn'] },
    { search: 'Patient?_lastUpdated=le2000-01-01', expect: [] },
    { search: 'Patient?_lastUpdated=gt2000-01-01', expect: [...ALL_BORN, 'unborn'] }, // regression: was a 500 (an SQL parameter bound but never used)

    { search: 'Observation?date=2024', expect: ['lastSecond', 'lastMilli', 'minute', 'march'] },
    { search: 'Observation?date=2023', expect: ['plusOne'], why: '2024-01-01T00:30:00+01:00 is 2023 in UTC' },
    { search: 'Observation?date=2025-01-01', expect: ['newYear', 'minusFive'], why: '2024-12-31T22:00:00-05:00 is 2025 in UTC' },
    { search: 'Observation?date=2024-12-31T23:59:59Z', expect: ['lastSecond', 'lastMilli'], why: 'seconds precision covers the whole second' },
    { search: 'Observation?date=2024-12-31T23:59:59.999Z', expect: ['lastMilli'] },
    { search: 'Observation?date=2024-01-01T00:30:00+01:00', expect: ['plusOne'] },
    { search: 'Observation?date=2023-12-31T23:30:00Z', expect: ['plusOne'], why: 'the same instant written in another zone' },
    { search: 'Observation?date=2024-03-05T09:00Z', expect: ['minute'], why: 'minute precision in a search value covers the minute' },
    { search: 'Observation?date=2024-03-05T10:00+01:00', expect: ['minute'] },
    { search: 'Observation?date=2024-03-05', expect: ['minute'] },
    { search: 'Observation?date=2024-03', expect: ['minute', 'march'] },
    { search: 'Observation?date=ge2024-06-01', expect: ['lastSecond', 'lastMilli', 'newYear', 'minusFive', 'openEnd', 'farFuture'], why: 'an open end reaches beyond any value' },
    { search: 'Observation?date=le2024-06-01', expect: ['plusOne', 'minute', 'march', 'openStart'], why: 'an open start reaches below any value' },
    { search: 'Observation?date=gt2030', expect: ['openEnd', 'farFuture'] }, // regression: was a 500 (an SQL parameter bound but never used)
    { search: 'Observation?date=lt2000', expect: ['openStart'] }, // regression: was a 500 (an SQL parameter bound but never used)
    { search: 'Observation?date=sa2024-12-31T23:59:59Z', expect: ['newYear', 'minusFive', 'farFuture'] }, // regression: was a 500 (an SQL parameter bound but never used)
    { search: 'Observation?date=eb2024-03-01', expect: ['plusOne'] }, // regression: was a 500 (an SQL parameter bound but never used)
    { search: 'Observation?date=ne2024', expect: ['plusOne', 'newYear', 'minusFive', 'openEnd', 'openStart', 'farFuture'] },
    { search: 'Observation?date=ge9999-12-31', expect: ['farFuture', 'openEnd'] },
    { search: 'Observation?date=9999', expect: [], why: 'the instant is in the year 10000 in UTC' },
    { search: 'Observation?date:missing=true', expect: ['undated'] }
  ]
}
