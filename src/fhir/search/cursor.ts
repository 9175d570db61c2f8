/**
 * Opaque paging cursors. A cursor carries the position of the page edge and a fingerprint of the
 * query it belongs to, so it cannot be replayed against a different search.
 */
import { createHash } from 'node:crypto'
import type { PagePosition } from '../../store/search-sql.js'
import { invalid } from './parse-values.js'

export function encodeCursor (position: PagePosition, params: URLSearchParams): string {
  return Buffer.from(JSON.stringify([position.direction === 'next' ? 'n' : 'p', position.keys, position.id, fingerprint(params)])).toString('base64url')
}

export function decodeCursor (cursor: string, params: URLSearchParams): PagePosition {
  try {
    const [direction, keys, id, print] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    if ((direction === 'n' || direction === 'p') && Array.isArray(keys) && keys.every(k => k === null || typeof k === 'string') && typeof id === 'string') {
      if (print !== fingerprint(params)) throw invalid('_cursor', 'belongs to a different search')
      return { direction: direction === 'n' ? 'next' : 'prev', keys: keys as Array<string | null>, id }
    }
  } catch (err) {
    if (err instanceof Error && err.name === 'GatewayError') throw err
  }
  throw invalid('_cursor', 'is not a cursor this server issued')
}

/** The parameters that decide which rows match and in what order (paging size may change). */
function fingerprint (params: URLSearchParams): string {
  const relevant = [...params].filter(([name]) => !['_count', '_cursor', '_format', '_pretty', '_total', '_summary', '_elements', '_include', '_revinclude'].includes(name.split(':')[0] as string))
  relevant.sort(([a, av], [b, bv]) => a === b ? av.localeCompare(bv) : a.localeCompare(b))
  return createHash('sha256').update(JSON.stringify(relevant)).digest('base64url').slice(0, 16)
}
