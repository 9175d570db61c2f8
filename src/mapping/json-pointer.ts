/**
 * JSON Pointers (RFC 6901) with one extension: a `*` segment matches every item of an array or
 * every property of an object. Mapping manifests name the payload fields a step applies to this
 * way (`/conditions/*` + `/code`), and every problem reported to a sender carries a plain pointer.
 */

export interface PointerMatch {
  /** The concrete pointer of this value, e.g. `/conditions/2/code`. */
  readonly pointer: string
  readonly parent: Record<string, unknown> | unknown[]
  readonly key: string | number
  readonly value: unknown
}

export function parsePointer (pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) throw new Error(`A JSON Pointer starts with "/": ${pointer}`)
  return pointer.slice(1).split('/').map(segment => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
}

export function escapeSegment (segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1')
}

/** Every value the pattern reaches; absent fields are simply not matched (steps skip optional fields). */
export function selectPointer (root: unknown, pattern: string): PointerMatch[] {
  const segments = parsePointer(pattern)
  if (segments.length === 0) throw new Error('A step applies to a field, not to the whole payload')
  const matches: PointerMatch[] = []
  walk(root, segments, '', matches)
  return matches
}

function walk (node: unknown, segments: string[], at: string, matches: PointerMatch[]): void {
  const [head, ...rest] = segments
  if (head === undefined || node === null || typeof node !== 'object') return
  const keys: Array<string | number> = head === '*'
    ? (Array.isArray(node) ? node.map((_v, i) => i) : Object.keys(node))
    : Array.isArray(node) ? (/^\d+$/.test(head) ? [Number(head)] : []) : [head]
  for (const key of keys) {
    if (!Object.hasOwn(node, key)) continue
    const value = (node as Record<string | number, unknown>)[key]
    const pointer = `${at}/${escapeSegment(key)}`
    if (rest.length === 0) matches.push({ pointer, parent: node as Record<string, unknown>, key, value })
    else walk(value, rest, pointer, matches)
  }
}
