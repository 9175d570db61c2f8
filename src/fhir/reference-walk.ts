/**
 * One walk over a resource's JSON to every Reference.reference string, for the checks and
 * rewrites that need them. The keys and indexes down to each are kept as a stack and spelled out
 * as a location (locationOf) only by a caller that reports or records one: most walks report
 * nothing, and building a string for every node passed was a measurable part of a write.
 */

export type Segments = ReadonlyArray<string | number>

/**
 * Calls `visit` with each reference string in `value`, the object holding it, and the keys and
 * indexes from `value` down to that object. A `skip` key's subtree is not walked.
 */
export function forEachReference (value: unknown, visit: (holder: Record<string, unknown>, reference: string, segments: Segments) => void, skip?: string): void {
  const segments: Array<string | number> = []
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) {
        segments.push(index)
        walk(node[index])
        segments.pop()
      }
      return
    }
    const object = node as Record<string, unknown>
    for (const key in object) {
      const child = object[key]
      if (key === 'reference' && typeof child === 'string') {
        visit(object, child, segments)
      } else if (key !== skip) {
        segments.push(key)
        walk(child)
        segments.pop()
      }
    }
  }
  walk(value)
}

/** `path` followed by the keys (`.key`) and indexes (`[i]`) walked below it. */
export function locationOf (path: string, segments: Segments): string {
  return path + segments.map(segment => typeof segment === 'number' ? `[${segment}]` : `.${segment}`).join('')
}
