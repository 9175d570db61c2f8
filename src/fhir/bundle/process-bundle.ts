/**
 * batch and transaction Bundles: https://hl7.org/fhir/R4/http.html#transaction
 * A transaction runs every entry in one database transaction, in the spec's order
 * (DELETE, POST, PUT/PATCH, GET), after assigning ids and rewriting references; any failure rolls
 * back all of it. A batch runs each entry on its own and reports each outcome.
 */
import type { Bundle, BundleEntry, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes'
import type { Database, Queryable } from '../../store/database.js'
import type { StoredVersion } from '../../store/resources.js'
import { GatewayError } from '../../errors.js'
import { toOutcome } from '../outcome.js'
import { exactlyOne, findConditionalMatchesOfEach, parseConditionalSearch, type ConditionalSearch } from '../interactions/conditional.js'
import type { FhirContext } from '../interactions/context.js'
import { isSupportedResourceType } from '../resource-types.js'
import { parseEntryUrl, type EntryTarget } from './entry-url.js'
import { executeEntry, type EntryOptions } from './execute-entry.js'
import { rewriteReferences } from './rewrite-references.js'
import { deferredCreates } from './deferred-creates.js'
import { accessOf } from '../../auth/access-policy.js'
import { requireWritable } from '../../auth/enforce.js'
import { entryEntities, entryInteraction, type BundleAudit } from './entry-audit.js'
import type { RequestContext } from '../interactions/request-context.js'

const METHOD_ORDER: Record<string, number> = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3, HEAD: 3 }

interface PlannedEntry {
  readonly index: number
  readonly method: string
  readonly target: EntryTarget
  readonly entry: BundleEntry
  /** For a transaction's creates: the id it will get, or the match of its If-None-Exist. */
  assignedId?: string
  existingMatch?: StoredVersion
}

export interface BundleOptions extends EntryOptions {
  readonly maxEntries: number
  /** Records each committed transaction or batch entry, and each failed batch entry. */
  readonly audit?: BundleAudit
}

/** `request`: who asks; every entry is held to the caller's access (src/auth/). */
export async function processBundle (ctx: FhirContext, db: Database, body: unknown, options: BundleOptions, request?: RequestContext): Promise<Bundle> {
  const bundle = asBundle(body, options.maxEntries)
  const planned = (bundle.entry ?? []).map((entry, index) => planEntry(entry, index, options.fhirBaseUrl))
  return bundle.type === 'transaction'
    ? await runTransaction(ctx, db, planned, options, request)
    : await runBatch(ctx, db, planned, options, request)
}

function asBundle (body: unknown, maxEntries: number): Bundle {
  const bundle = body as Bundle | null
  if (bundle === null || typeof bundle !== 'object' || bundle.resourceType !== 'Bundle') {
    throw new GatewayError('invalid', 'POST to the base accepts a Bundle of type batch or transaction', { expression: 'resourceType' })
  }
  if (bundle.type !== 'transaction' && bundle.type !== 'batch') {
    throw new GatewayError('invalid', `Bundle.type must be batch or transaction, not ${String(bundle.type)}`, { expression: 'Bundle.type' })
  }
  if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) {
    throw new GatewayError('invalid', 'Bundle.entry must be an array', { expression: 'Bundle.entry' })
  }
  if ((bundle.entry?.length ?? 0) > maxEntries) {
    throw new GatewayError('invalid', `A Bundle may hold at most ${maxEntries} entries`, { expression: 'Bundle.entry' })
  }
  return bundle
}

function planEntry (entry: BundleEntry, index: number, fhirBaseUrl: string): PlannedEntry {
  const at = `Bundle.entry[${index}]`
  const method = entry?.request?.method
  const url = entry?.request?.url
  if (typeof method !== 'string' || !(method in METHOD_ORDER) || typeof url !== 'string') {
    throw new GatewayError('invalid', `${at} needs request.method (GET, POST, PUT, PATCH, DELETE) and request.url`, { expression: `${at}.request` })
  }
  const target = parseEntryUrl(url, fhirBaseUrl, `${at}.request.url`)
  if (!isSupportedResourceType(target.type)) {
    throw new GatewayError('not-found', `${at}: resource type ${target.type} is not supported`, { expression: `${at}.request.url` })
  }
  return { index, method, target, entry }
}

async function runTransaction (ctx: FhirContext, db: Database, planned: PlannedEntry[], options: BundleOptions, request: RequestContext | undefined): Promise<Bundle> {
  const responses = await db.transaction(async (tx) => {
    const results = await runEntriesIn(ctx, tx, planned, options, request)
    await options.audit?.committed(tx, 'transaction', 200, planned.flatMap(item => entryEntities(item.target, results[item.index])))
    return results
  })
  return { resourceType: 'Bundle', type: 'transaction-response', entry: responses }
}

/**
 * A transaction Bundle inside a database transaction the caller owns, so it can write more in the
 * same commit (the inbound path's idempotency receipt). The caller rolls back on any throw.
 */
export async function processTransactionIn (ctx: FhirContext, tx: Queryable, body: unknown, options: BundleOptions, request?: RequestContext): Promise<Bundle> {
  const bundle = asBundle(body, options.maxEntries)
  if (bundle.type !== 'transaction') throw new GatewayError('invalid', 'Expected a transaction Bundle', { expression: 'Bundle.type' })
  const planned = (bundle.entry ?? []).map((entry, index) => planEntry(entry, index, options.fhirBaseUrl))
  return { resourceType: 'Bundle', type: 'transaction-response', entry: await runEntriesIn(ctx, tx, planned, options, request) }
}

async function runEntriesIn (ctx: FhirContext, tx: Queryable, planned: PlannedEntry[], options: EntryOptions, request: RequestContext | undefined): Promise<BundleEntry[]> {
  const byMethod = [...planned].sort((a, b) => methodRank(a) - methodRank(b) || a.index - b.index)
  const fullUrls = await assignIds(ctx, tx, byMethod, request)
  for (const item of byMethod) {
    await withEntryContext(item.index, async () => {
      await rewriteReferences(ctx, tx, item.entry.resource, fullUrls, `Bundle.entry[${item.index}].resource`, request)
    })
  }
  const waiting = new Set(byMethod.filter(item => canWait(ctx, item)))
  // Within one method the spec gives entries no order (http.html#trules), so the creates that can
  // wait run before those whose rules read: they reach the database as one INSERT, flushed once,
  // not one INSERT before each ruled entry and another for the creates after it.
  const ordered = [...byMethod].sort((a, b) => methodRank(a) - methodRank(b) || Number(!waiting.has(a)) - Number(!waiting.has(b)) || a.index - b.index)
  const results: BundleEntry[] = new Array(planned.length)
  const access = request === undefined ? undefined : accessOf(request.caller)
  const deferred = deferredCreates(tx, access === undefined ? undefined : async (type, id) => { await requireWritable(tx, access, 'create', type, id) })
  const flush = async (): Promise<void> => {
    const failed = await deferred.flush()
    if (failed !== undefined) await withEntryContext(failed.index, async () => { throw failed.error })
  }
  for (const item of ordered) {
    const defer = waiting.has(item)
    // Whatever runs next may read the rows waiting so far: they go in first. A create that
    // If-None-Exist matched reads nothing (its match is the answer).
    if (!defer && item.existingMatch === undefined) await flush()
    results[item.index] = await withEntryContext(item.index, async () => await executeEntry(ctx, tx, {
      method: item.method,
      target: item.target,
      entry: item.entry,
      ...(item.assignedId === undefined ? {} : { assignedId: item.assignedId }),
      ...(item.existingMatch === undefined ? {} : { existingMatch: item.existingMatch }),
      ...(defer ? { insert: deferred.insertFor(item.index) } : {})
    }, options, request))
  }
  await flush()
  return results
}

/** Where an entry's method puts it in the spec's processing order. */
function methodRank (item: PlannedEntry): number {
  return METHOD_ORDER[item.method] ?? 9
}

/**
 * A POST that creates under the id the transaction assigned (no If-None-Exist match), of a type
 * whose creation no journey rule reads or writes around: nothing else in the transaction can
 * observe it before commit, so its row may wait for the others (deferred-creates.ts).
 */
function canWait (ctx: FhirContext, item: PlannedEntry): boolean {
  const resource = item.entry.resource as Resource | undefined
  return item.method === 'POST' && item.assignedId !== undefined && item.existingMatch === undefined &&
    resource?.resourceType === item.target.type && ctx.rules?.createTouchesOthers(resource) !== true
}

/**
 * Decides every created or conditionally matched id first, so references can point at them. The
 * conditional searches are parsed entry by entry (a bad one names its entry), then looked up together.
 */
async function assignIds (ctx: FhirContext, tx: Queryable, ordered: PlannedEntry[], request: RequestContext | undefined): Promise<Map<string, string>> {
  const searches = new Map<PlannedEntry, ConditionalSearch>()
  for (const item of ordered) {
    const query = conditionalQueryOf(item)
    if (query !== undefined) searches.set(item, await withEntryContext(item.index, async () => parseConditionalSearch(ctx, item.target.type, query)))
  }
  const found = await findConditionalMatchesOfEach(ctx, tx, [...searches.values()], request)
  const matchesOf = new Map([...searches.keys()].map((item, i) => [item, found[i] ?? []]))
  const fullUrls = new Map<string, string>()
  const seen = new Set<string>()
  for (const item of ordered) {
    await withEntryContext(item.index, async () => {
      const { type, id, query } = item.target
      const matches = matchesOf.get(item)
      if (createsUnderNewId(item)) {
        const match = matches === undefined ? undefined : exactlyOne(matches, 'If-None-Exist')
        item.assignedId = match?.id ?? ctx.newId()
        item.existingMatch = match
      } else if (item.method === 'PUT' && query !== undefined) {
        const match = exactlyOne(matches ?? [], 'The conditional update search')
        item.assignedId = match?.id ?? (item.entry.resource as Resource | undefined)?.id ?? ctx.newId()
      } else if (item.method !== 'GET' && item.method !== 'HEAD' && id !== undefined) {
        item.assignedId = id
      }
      if (item.assignedId !== undefined && item.method !== 'GET') {
        const key = `${type}/${item.assignedId}`
        if (seen.has(key)) throw new GatewayError('invalid', `${key} is the target of more than one entry`, { expression: `Bundle.entry[${item.index}]` })
        seen.add(key)
        if (item.entry.fullUrl !== undefined) fullUrls.set(item.entry.fullUrl, key)
      }
    })
  }
  return fullUrls
}

/** The search of an entry's conditional create (If-None-Exist) or conditional update, if it has one. */
function conditionalQueryOf (item: PlannedEntry): string | undefined {
  if (createsUnderNewId(item)) return item.entry.request?.ifNoneExist
  if (item.method === 'PUT') return item.target.query
  return undefined
}

/** A POST to the type itself: the server assigns the id, unless its If-None-Exist finds one. */
function createsUnderNewId (item: PlannedEntry): boolean {
  return item.method === 'POST' && item.target.id === undefined && item.target.query === undefined
}

async function runBatch (ctx: FhirContext, db: Database, planned: PlannedEntry[], options: BundleOptions, request: RequestContext | undefined): Promise<Bundle> {
  const results: BundleEntry[] = []
  for (const item of planned) {
    const interaction = entryInteraction(item.method, item.target)
    try {
      results.push(await db.transaction(async (tx) => {
        const result = await executeEntry(ctx, tx, item, options, request)
        await options.audit?.committed(tx, interaction, Number.parseInt(result.response?.status ?? '200', 10), entryEntities(item.target, result))
        return result
      }))
    } catch (err) {
      const { status, outcome } = toOutcome(err)
      if (status >= 500) throw err
      await options.audit?.failed(interaction, status, entryEntities(item.target))
      results.push({ response: { status: String(status), outcome } })
    }
  }
  return { resourceType: 'Bundle', type: 'batch-response', entry: results }
}

/** Re-throws an entry's error naming the entry, with expressions under Bundle.entry[i]. */
async function withEntryContext<T> (index: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (!(err instanceof GatewayError) && toOutcome(err).status >= 500) throw err
    const { outcome } = toOutcome(err)
    const issues = (outcome.issue ?? []).map(issue => locateIssue(issue, index))
    const category = err instanceof GatewayError ? err.category : 'invalid'
    throw new GatewayError(category, `Bundle entry ${index} failed`, { issues, cause: err })
  }
}

function locateIssue (issue: OperationOutcomeIssue, index: number): OperationOutcomeIssue {
  const prefix = `Bundle.entry[${index}]`
  const expression = (issue.expression ?? []).map(e => e.startsWith('Bundle.') ? e : `${prefix}.resource.${e.replace(/^[A-Z][A-Za-z]+\./, '')}`)
  return {
    ...issue,
    diagnostics: `Bundle entry ${index}${issue.diagnostics === undefined ? '' : `: ${issue.diagnostics}`}`,
    expression: expression.length > 0 ? expression : [prefix]
  }
}
