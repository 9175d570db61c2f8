/**
 * A small seeded random source. Population data must be reproducible from a seed (same seed,
 * same resources), which Math.random cannot give; mulberry32 is tiny, fast and good enough for
 * synthetic distributions (it is not for anything security-related).
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number
  chance(probability: number): boolean
  pick<T>(items: readonly T[]): T
  /** Picks a key with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K
  normal(mean: number, standardDeviation: number): number
}

export function mulberry32 (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function createRandom (seed: number): Random {
  const next = mulberry32(seed)
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  return {
    next,
    int,
    chance: (probability) => next() < probability,
    pick: (items) => {
      if (items.length === 0) throw new Error('Cannot pick from an empty list')
      return items[int(0, items.length - 1)] as (typeof items)[number]
    },
    weighted: (weights) => {
      const entries = Object.entries(weights) as Array<[keyof typeof weights, number]>
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0)
      let point = next() * total
      for (const [key, weight] of entries) {
        point -= weight
        if (point < 0) return key
      }
      return (entries[entries.length - 1] as [keyof typeof weights, number])[0]
    },
    normal: (mean, standardDeviation) => {
      // Box-Muller; 1 - next() keeps the logarithm away from zero.
      const radius = Math.sqrt(-2 * Math.log(1 - next()))
      return mean + standardDeviation * radius * Math.cos(2 * Math.PI * next())
    }
  }
}
