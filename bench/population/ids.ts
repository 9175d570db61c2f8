/**
 * Resource ids for seeded data. They must be reproducible (same seed, same ids) and must not
 * collide between runs with different seeds, which ids drawn from the 32-bit mulberry32 stream
 * could (two seeds are only a shift apart on the same cycle). So each id hashes (seed, counter)
 * into independent 32-bit lanes. Like the gateway's own UUIDv7 ids (src/fhir/resource-ids.ts)
 * they sort in the order they were made, so a bulk load appends to its btrees instead of
 * touching a random page per row: the counter fills the leading 48 bits, the hash the other 74,
 * formatted as an RFC 9562 version 8 (custom) UUID.
 */

/** murmur3's finaliser: a bijection on 32-bit integers with good avalanche. */
function mix32 (value: number): number {
  let h = value >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85EBCA6B)
  h = Math.imul(h ^ (h >>> 13), 0xC2B2AE35)
  return (h ^ (h >>> 16)) >>> 0
}

const LANE_SALTS = [0x85A308D3, 0x13198A2E, 0x03707344] as const

function hex8 (value: number): string {
  return value.toString(16).padStart(8, '0')
}

export type IdSource = () => string

export function createIdSource (seed: number): IdSource {
  const seedHash = mix32(seed ^ 0x9E3779B9)
  let counter = 0
  return () => {
    counter += 1
    const [b, c, d] = LANE_SALTS.map(salt => mix32(mix32(counter ^ salt) ^ seedHash ^ salt)) as [number, number, number]
    const lanes = counter.toString(16).padStart(12, '0') + hex8(b).slice(4) + hex8(((c & 0x3FFFFFFF) | 0x80000000) >>> 0) + hex8(d)
    // Version nibble 8 and variant bits 10 make it a well-formed RFC 9562 custom UUID.
    return `${lanes.slice(0, 8)}-${lanes.slice(8, 12)}-8${lanes.slice(13, 16)}-${lanes.slice(16, 20)}-${lanes.slice(20, 32)}`
  }
}
