/**
 * Whether a request may read AuditEvents, so that the audit trail is caught up first (its
 * records become AuditEvents in bulk, later than they are written). Errs towards yes: a needless
 * catch-up costs one statement on an empty table. A request may read AuditEvents if it names
 * the type anywhere (reads, searches, `_has`, `_include`, `_revinclude`, `_type`, a `_search`
 * form body), includes with a wildcard, searches or reads history across all types, or is a
 * Bundle with such an entry.
 */
const BASE = '/fhir'

export function readsAuditEvents (method: string, rawUrl: string, body: unknown): boolean {
  // Percent-encoded letters would otherwise hide the type's name from the test.
  const url = decoded(rawUrl)
  if (urlReadsAuditEvents(url)) return true
  const path = pathOf(url)
  if (method === 'POST' && path.endsWith('/_search')) return formReadsAuditEvents(body)
  if (!isBase(path)) return false
  if (method === 'GET') return true
  if (method !== 'POST' || !isBundle(body) || !Array.isArray(body.entry)) return false
  // Any shape may arrive here (the Bundle is checked later): look only at string urls.
  return body.entry.some((entry: unknown) => {
    const entryUrl = (entry as { request?: { url?: unknown } } | null)?.request?.url
    return typeof entryUrl === 'string' && urlReadsAuditEvents(`${BASE}/${entryUrl.replace(/^\//, '')}`)
  })
}

function urlReadsAuditEvents (url: string): boolean {
  if (url.includes('AuditEvent')) return true
  const path = pathOf(url)
  const query = url.slice(path.length)
  // The whole server: [base]?…, [base]/_search, [base]/_history.
  if (isBase(path) && query.length > 0) return true
  if (path === `${BASE}/_search` || path === `${BASE}/_history`) return true
  return /[?&]_(rev)?include[^=&]*=[^&]*\*/.test(query)
}

function formReadsAuditEvents (body: unknown): boolean {
  if (typeof body === 'string') {
    const form = decoded(body)
    return form.includes('AuditEvent') || /(^|&)_(rev)?include[^=&]*=[^&]*\*/.test(form)
  }
  if (typeof body !== 'object' || body === null) return false
  return Object.entries(body).some(([name, value]) => {
    const values = (Array.isArray(value) ? value : [value]).map(String)
    return name.includes('AuditEvent') || values.some(v => v.includes('AuditEvent')) || (/^_(rev)?include/.test(name) && values.some(v => v.includes('*')))
  })
}

function decoded (url: string): string {
  try {
    return decodeURIComponent(url)
  } catch {
    return url
  }
}

function pathOf (url: string): string {
  const at = url.search(/[?#]/)
  return at < 0 ? url : url.slice(0, at)
}

function isBase (path: string): boolean {
  return path === BASE || path === `${BASE}/`
}

interface BundleLike {
  readonly resourceType: 'Bundle'
  readonly entry?: unknown
}

function isBundle (body: unknown): body is BundleLike {
  return typeof body === 'object' && body !== null && (body as { resourceType?: unknown }).resourceType === 'Bundle'
}
