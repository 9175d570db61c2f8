/**
 * Resource ids for seeded data. They must be reproducible (same seed, same ids) and must not
 * collide between runs with different seeds, which ids drawn from the 32-bit mulberry32 stream
 * could (two seeds are only a shift apart on the same cycle). So each id hashes (seed, counter)
 * into four independent 32-bit lanes and formats them as a version 4 UUID.
 */

/** murmur3's finaliser: a bijection on 32-bit integers with good avalanche. */
function mix32 (value: number): number {
  let h = value >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85EBCA6B)
  h = Math.imul(h ^ (h >>> 13), 0xC2B2AE35)
  return (h ^ (h >>> 16)) >>> 0
}

const LANE_SALTS = [0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344] as const

function hex8 (value: number): string {
  return value.toString(16).padStart(8, '0')
}

export type IdSource = () => string

export function createIdSource (seed: number): IdSource {
  const seedHash = mix32(seed ^ 0x9E3779B9)
  let counter = 0
  return () => {
    counter += 1
    const [a, b, c, d] = LANE_SALTS.map(salt => mix32(mix32(counter ^ salt) ^ seedHash ^ salt)) as [number, number, number, number]
    const lanes = hex8(a) + hex8(b) + hex8(((c & 0x3FFFFFFF) | 0x80000000) >>> 0) + hex8(d)
    // Version nibble 4 and variant bits 10 make it a well-formed RFC 4122 random UUID.
    return `${lanes.slice(0, 8)}-${lanes.slice(8, 12)}-4${lanes.slice(13, 16)}-${lanes.slice(16, 20)}-${lanes.slice(20, 32)}`
  }
}
