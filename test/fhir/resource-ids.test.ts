/**
 * Server-assigned ids (src/fhir/resource-ids.ts) keep their order however fast they are made:
 * thousands in one millisecond, across many refills of the random-byte pool.
 */
import { test } from 'tap'
import { newResourceId } from '../../src/fhir/resource-ids.js'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

test('ids made back to back are UUIDv7s, all different, each sorting after the one before', async (t) => {
  // 20,000 ids: many per millisecond, and 78 pool refills of 256 ids each.
  const ids = Array.from({ length: 20_000 }, () => newResourceId())
  t.ok(ids.every(id => UUID_V7.test(id)), 'RFC 9562 version 7, variant 10')
  t.equal(new Set(ids).size, ids.length, 'no id twice')
  const outOfOrder = ids.findIndex((id, i) => i > 0 && id <= (ids[i - 1] as string))
  t.equal(outOfOrder, -1, 'each id sorts after the one made before it')
  const millisecondsUsed = new Set(ids.map(id => id.slice(0, 13))).size
  t.ok(millisecondsUsed < ids.length, `several ids shared a millisecond (${ids.length} ids in ${millisecondsUsed} ms), so the counter was exercised`)
  // The random tails differ even within one millisecond: they come from fresh pool bytes.
  t.equal(new Set(ids.map(id => id.slice(-12))).size, ids.length, 'random tails differ')
})
