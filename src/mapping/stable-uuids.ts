/**
 * FML's uuid() is random, so the same payload would map to a different Bundle each time. The
 * engine renames every `urn:uuid:` in the output, in order of first appearance, to a UUID derived
 * from the payload's hash: the same payload always gives the same output (fixtures compare
 * exactly; the CLI prints stable text), and references between entries stay consistent.
 */
import { hash } from 'node:crypto'

const URN_UUID = /^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

export function stableUuids (document: unknown, seed: string): unknown {
  const renamed = new Map<string, string>()
  const rename = (urn: string): string => {
    let next = renamed.get(urn)
    if (next === undefined) {
      next = `urn:uuid:${derivedUuid(seed, renamed.size + 1)}`
      renamed.set(urn, next)
    }
    return next
  }
  // In place: the output is the engine's fresh object, and copying it costs more than the map.
  // Arrays by index and objects by for-in: no key array is made for every node walked.
  const renamedIfUrn = (value: string): string => value.startsWith('urn:uuid:') && URN_UUID.test(value) ? rename(value) : value
  const walk = (node: object): void => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const value: unknown = node[i]
        if (typeof value === 'object' && value !== null) walk(value)
        else if (typeof value === 'string') node[i] = renamedIfUrn(value)
      }
      return
    }
    const record = node as Record<string, unknown>
    for (const key in record) {
      const value = record[key]
      if (typeof value === 'object' && value !== null) walk(value)
      else if (typeof value === 'string') record[key] = renamedIfUrn(value)
    }
  }
  if (document !== null && typeof document === 'object') walk(document)
  return document
}

/**
 * A version-4-shaped UUID from the seed and an ordinal (the version and variant bits set).
 * crypto.hash, the one-shot digest: a pack-1 Bundle needs a dozen, and a Hash object each
 * measured about 3 µs against 1.2.
 */
function derivedUuid (seed: string, ordinal: number): string {
  const hex = hash('sha256', `${seed}:${ordinal}`, 'hex')
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}
