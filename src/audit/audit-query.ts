/**
 * What a search's query string becomes in an AuditEvent. Search values can be identifiers (an NHS
 * number), names or birth dates, and an AuditEvent must hold no personal data beyond references,
 * so only parameter names (with their modifiers and chains) are kept, plus the values of the
 * parameters that shape the result rather than select people (`_count`, `_include`, …).
 * Which resources a client saw is recorded by the reads, not reconstructed from searches.
 */

/** Parameters whose values never name a person: kept whole. */
const RESULT_SHAPING = new Set([
  '_count', '_sort', '_include', '_revinclude', '_summary', '_elements', '_total', '_type', '_format', '_contained', '_containedType'
])

export function auditQuery (params: URLSearchParams): string {
  const kept = new URLSearchParams()
  for (const [name, value] of params) {
    const base = name.split(':')[0] ?? name
    kept.append(name, RESULT_SHAPING.has(base) || name.startsWith('_include') || name.startsWith('_revinclude') ? value : '')
  }
  // URLSearchParams writes `name=` for an empty value; the bare name reads better.
  return kept.toString().replace(/=(?=&|$)/g, '')
}
