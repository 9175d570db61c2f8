/**
 * Server-assigned resource ids: UUIDv7 (RFC 9562), whose leading 48 bits are the creation time
 * in milliseconds. Ids made one after another sort one after another, so each new row and index
 * entry keyed by id lands beside the last one instead of on a random page of a btree far larger
 * than PostgreSQL's buffers; with random (v4) ids nearly every insert at scale touched a page
 * not in memory and wrote it in full to the WAL after each checkpoint. The remaining 74 bits are
 * random, so ids from several gateway processes do not collide. The time in an id says no more
 * than the resource's meta.lastUpdated of its first version already does.
 */
import { randomFillSync } from 'node:crypto'
import { v7 as uuidv7 } from 'uuid'

// The uuid package draws 16 random bytes per id with crypto.getRandomValues, which measured
// 4.3 µs a call on the 2-core machines here (crypto.randomUUID, which draws from a cache, 0.14 µs):
// a read pays it once (its audit record), a create twice, an inbound referral a dozen times.
// Drawing 4 KiB at a time pays it once per 256 ids.
const POOL_BYTES = 4096
const pool = new Uint8Array(POOL_BYTES)
const poolView = new DataView(pool.buffer)
let used = POOL_BYTES

// Given its random bytes, the uuid package keeps no state, so the ordering within a millisecond
// is kept here the way the package keeps it for itself: a counter started from 31 random bits in
// each new millisecond, and counting up (RFC 9562 §6.2, method 1) for ids made within it.
let lastMsecs = -Infinity
let sequence = 0

export function newResourceId (): string {
  if (used === POOL_BYTES) {
    randomFillSync(pool)
    used = 0
  }
  const random = pool.subarray(used, used + 16)
  const now = Date.now()
  if (now > lastMsecs) {
    lastMsecs = now
    sequence = poolView.getUint32(used + 6) & 0x7fffffff
  } else {
    sequence = (sequence + 1) | 0
    // After 2^32 ids in one millisecond the counter wraps: borrow the next millisecond.
    if (sequence === 0) lastMsecs++
  }
  used += 16
  return uuidv7({ random, msecs: lastMsecs, seq: sequence })
}
