/**
 * FHIR history, instance and type level: https://hl7.org/fhir/R4/http.html#history
 * Newest first, keyset-paged with an opaque cursor so pages stay correct while writes go on.
 */
import type { Bundle, BundleEntry } from '@medplum/fhirtypes'
import type { Queryable } from '../../store/database.js'
import { countHistory, readCurrent, readHistory, type HistoryCursor, type StoredVersion } from '../../store/resources.js'
import { GatewayError } from '../../errors.js'
import type { Caller } from '../../auth/caller.js'
import { accessOf } from '../../auth/access-policy.js'
import { deidentify } from '../../auth/deidentify.js'
import { readCurrentWithin } from '../../store/resources.js'

export interface HistoryRequest {
  readonly type: string
  readonly id?: string
  readonly params: URLSearchParams
  /** Absolute URL of this history endpoint, without query. */
  readonly selfUrl: string
  readonly fhirBaseUrl: string
  readonly defaultCount: number
  /** Who asks: a restricted caller sees only the history of resources it may see now. */
  readonly caller?: Caller
}

const MAX_COUNT = 1000

export async function readHistoryBundle (q: Queryable, request: HistoryRequest): Promise<Bundle> {
  const count = parseCount(request.params.get('_count'), request.defaultCount)
  const since = parseSince(request.params.get('_since'))
  const before = parseCursor(request.params.get('_cursor'))
  for (const name of request.params.keys()) {
    if (!['_count', '_since', '_cursor', '_format', '_pretty'].includes(name)) {
      throw new GatewayError('invalid', `History parameter "${name}" is not supported`, { expression: name })
    }
  }
  const access = request.caller === undefined ? undefined : accessOf(request.caller)
  if (request.id !== undefined) {
    const current = access === undefined ? await readCurrent(q, request.type, request.id) : await readCurrentWithin(q, access.reach, request.type, request.id)
    if (current === undefined) throw new GatewayError('not-found', `${request.type}/${request.id} is not known`)
  }
  const query = {
    type: request.type,
    ...(request.id === undefined ? {} : { id: request.id }),
    ...(since === undefined ? {} : { since }),
    ...(access === undefined ? {} : { reach: access.reach })
  }
  // One extra row tells whether there is a next page.
  const versions = await readHistory(q, { ...query, ...(before === undefined ? {} : { before }), limit: count + 1 })
  const page = versions.slice(0, count)
  const total = await countHistory(q, query)
  const link = [{ relation: 'self', url: withParams(request.selfUrl, request.params) }]
  const last = page.at(-1)
  if (versions.length > count && last !== undefined) {
    const next = new URLSearchParams(request.params)
    next.set('_cursor', encodeCursor({ lastUpdated: last.lastUpdated, id: last.id, versionId: last.versionId }))
    next.set('_count', String(count))
    link.push({ relation: 'next', url: withParams(request.selfUrl, next) })
  }
  return {
    resourceType: 'Bundle',
    type: 'history',
    total,
    link,
    entry: page.map(version => historyEntry(version, request.fhirBaseUrl, access?.deidentify === true))
  }
}

function historyEntry (version: StoredVersion, base: string, withheld: boolean): BundleEntry {
  const fullUrl = `${base}/${version.resourceType}/${version.id}`
  const url = version.versionId === 1 ? version.resourceType : `${version.resourceType}/${version.id}`
  const method = version.deleted ? 'DELETE' : version.versionId === 1 ? 'POST' : 'PUT'
  return {
    fullUrl,
    ...(version.json === null ? {} : { resource: withheld ? deidentify(JSON.parse(version.json)) : JSON.parse(version.json) }),
    request: { method, url },
    response: {
      status: version.deleted ? '204' : version.versionId === 1 ? '201' : '200',
      etag: `W/"${version.versionId}"`,
      lastModified: version.lastUpdated
    }
  }
}

function parseCount (raw: string | null, fallback: number): number {
  if (raw === null) return fallback
  if (!/^\d{1,6}$/.test(raw)) throw new GatewayError('invalid', '_count must be a non-negative integer', { expression: '_count' })
  return Math.min(Math.max(Number(raw), 1), MAX_COUNT)
}

function parseSince (raw: string | null): string | undefined {
  if (raw === null) return undefined
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw new GatewayError('invalid', '_since must be an instant such as 2026-01-31T09:00:00Z', { expression: '_since' })
  }
  return raw
}

function encodeCursor (cursor: HistoryCursor): string {
  return Buffer.from(JSON.stringify([cursor.lastUpdated, cursor.id, cursor.versionId])).toString('base64url')
}

function parseCursor (raw: string | null): HistoryCursor | undefined {
  if (raw === null) return undefined
  try {
    const [lastUpdated, id, versionId] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown[]
    if (typeof lastUpdated === 'string' && !Number.isNaN(Date.parse(lastUpdated)) && typeof id === 'string' && Number.isInteger(versionId)) {
      return { lastUpdated, id, versionId: versionId as number }
    }
  } catch {
    // fall through to the error below
  }
  throw new GatewayError('invalid', '_cursor is not a cursor this server issued', { expression: '_cursor' })
}

function withParams (url: string, params: URLSearchParams): string {
  const query = params.toString()
  return query === '' ? url : `${url}?${query}`
}
