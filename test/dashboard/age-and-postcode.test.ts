/** The derivations the dashboard's bands and deprivation figures rest on, at their edges. */
import { test } from 'tap'
import { ageInYears, bandOf, OBSERVATORY_AGE_BANDS, TCF_AGE_BANDS } from '../../src/dashboard/age-bands.js'
import { classifyPostcode } from '../../src/dashboard/postcode.js'
import { parseImdLookup } from '../../src/dashboard/imd-lookup.js'

test('age in completed years, on and around the birthday', async (t) => {
  t.equal(ageInYears('1960-04-02', '2026-04-01T23:59:00Z'), 65, 'the day before the 66th birthday')
  t.equal(ageInYears('1960-04-02', '2026-04-02'), 66, 'on the birthday')
  t.equal(ageInYears('1960-04', '2026-04-14'), 65, 'year-month: the 15th')
  t.equal(ageInYears('1960', '2026-06-30'), 65, 'year only: 1 July')
  t.equal(ageInYears('1960', '2026-07-01'), 66)
  t.equal(ageInYears(undefined, '2026-07-01'), undefined)
  t.equal(ageInYears('2027-01-01', '2026-07-01'), undefined, 'born after the referral: no age')
  t.equal(ageInYears('not a date', '2026-07-01'), undefined)
})

test('bands cover every age exactly once', async (t) => {
  for (const bands of [TCF_AGE_BANDS, OBSERVATORY_AGE_BANDS]) {
    for (let age = 0; age <= 120; age++) t.ok(bandOf(bands, age), `age ${age} has a band`)
  }
  t.equal(bandOf(TCF_AGE_BANDS, 15)?.display, 'Under 16')
  t.equal(bandOf(TCF_AGE_BANDS, 16)?.code, '16-24')
  t.equal(bandOf(OBSERVATORY_AGE_BANDS, 17)?.code, '0-17')
  t.equal(bandOf(OBSERVATORY_AGE_BANDS, 65)?.code, '65+')
})

test('postcodes: full ones normalised, partial and empty ones told apart', async (t) => {
  t.same(classifyPostcode(' sw1a  1aa '), { kind: 'full', postcode: 'SW1A 1AA' })
  t.same(classifyPostcode('M11AE'), { kind: 'full', postcode: 'M1 1AE' })
  t.same(classifyPostcode('SW1A'), { kind: 'partial' })
  t.same(classifyPostcode('BD7 1'), { kind: 'partial' })
  t.same(classifyPostcode(''), { kind: 'missing' })
  t.same(classifyPostcode(undefined), { kind: 'missing' })
})

test('IMD lookup: keyed by normalised postcode; bad lines named', async (t) => {
  const lookup = parseImdLookup('postcode,imd_decile\r\nsw1a1aa,7\r\n', 'x.csv')
  t.equal(lookup('SW1A 1AA'), 7)
  t.equal(lookup('SW1A 2AA'), undefined)
  t.throws(() => parseImdLookup('SW1A 1AA,0\n', 'x.csv'), /x\.csv line 1/)
  t.throws(() => parseImdLookup('postcode,imd_decile\nSW1A,3\n', 'x.csv'), /x\.csv line 2/)
  t.throws(() => parseImdLookup('SW1A 1AA,3,extra\n', 'x.csv'), /line 1/)
})
