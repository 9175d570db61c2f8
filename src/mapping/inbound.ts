/**
 * POST /inbound/<mapping> without the HTTP: a payload in, FHIR stored, an answer out.
 *
 * 1. The payload's size (the mapping's maxBytes) and SHA-256; the idempotency key is the
 *    Idempotency-Key header or that hash. A key already answered gets the first answer again.
 * 2. Schema check, steps and the FML map (runMapping): 400 with every problem's JSON Pointer.
 * 3. One database transaction: claim the receipt (a concurrent twin waits here, then gets the
 *    first answer), run the mapped transaction Bundle plus a Provenance through the same
 *    machinery as POST /fhir (validation against R4 and profiles, journey rules), record the
 *    answer. A validation failure is a 422 naming the element and the map rule behind it.
 * 4. Any failure keeps the payload, sealed, in the dead-letter store, for replay once the
 *    mapping is fixed. Nothing partial is stored: the transaction rolls back as a whole.
 */
import { createHash } from 'node:crypto'
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes'
import { GatewayError } from '../errors.js'
import { processTransactionIn } from '../fhir/bundle/process-bundle.js'
import type { RequestContext } from '../fhir/interactions/request-context.js'
import { bundleNeeds } from '../auth/fhir-interactions.js'
import type { AuditTrail } from '../audit/audit-trail.js'
import { requireScopes } from '../auth/require-scopes.js'
import type { FhirContext } from '../fhir/interactions/context.js'
import { toOutcome } from '../fhir/outcome.js'
import type { Database, Queryable } from '../store/database.js'
import { insertDeadLetter, markReplayed, readDeadLetter, recordFailedReplay, type DeadLetter } from '../store/dead-letters.js'
import { claimReceipt, completeReceipt, readReceipt } from '../store/inbound-receipts.js'
import type { AuditRecordRow } from '../store/audit-records.js'
import { attributeToRules } from './attribute-issues.js'
import { mapInboundPayload, rowOfFailure, withoutFailedRow, withRejectedRows, withRowNumbers } from './inbound-rows.js'
import type { Sealer } from './dead-letter-seal.js'
import { withProvenance } from './provenance.js'
import type { LoadedMapping, MappingRegistry } from './registry.js'

export interface InboundDeps {
  readonly db: Database
  readonly ctx: FhirContext
  readonly registry: MappingRegistry
  readonly sealer: Sealer
  readonly fhirBaseUrl: string
  /** Most entries a mapped Bundle may have. */
  readonly maxEntries: number
  /** The audit trail; the routes write each stored payload's AuditEvent in its transaction. */
  readonly audit?: AuditTrail
}

export interface InboundRequest {
  readonly mappingName: string
  /** The body exactly as received: its bytes are what the hash and the dead letter keep. */
  readonly body: string
  readonly sender: string
  /** The Idempotency-Key header, when sent. */
  readonly idempotencyKey?: string
  /** `?partial=true`: a CSV's rows with problems are left out and listed, the others stored. */
  readonly partial?: boolean
  /** Who sends it: the mapped Bundle is held to the caller's scopes and organisation's access. */
  readonly context?: RequestContext
  /** Writes the request's AuditEvent inside the transaction that stores the payload's resources. */
  readonly auditInTransaction?: InboundAudit
}

/**
 * The audit of a stored payload: its record goes into the statement that completes the receipt,
 * so it commits with what the payload wrote.
 */
export interface InboundAudit {
  /** The request's audit record, naming what was stored; undefined when it is not audited. */
  readonly record: (stored: Bundle) => AuditRecordRow | undefined
  /** Called once that record is written (the request needs no record of its own after it). */
  readonly recorded: () => void
}

export interface InboundAnswer {
  readonly status: number
  readonly body: Bundle | OperationOutcome
  /** True when this repeats the answer to an earlier request with the same key. */
  readonly replayed: boolean
  readonly deadLetterId?: string
  /** The error behind a failed answer, for the route to log when it is a 500. */
  readonly error?: unknown
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

export async function receiveInbound (deps: InboundDeps, request: InboundRequest): Promise<InboundAnswer> {
  const mapping = deps.registry.get(request.mappingName)
  if (mapping === undefined || mapping.direction !== 'inbound') {
    // Not dead-lettered: there is no mapping to replay it with, and anyone could fill the store.
    return failure(new GatewayError('not-found', `No inbound mapping named ${request.mappingName}`))
  }
  const payloadSha256 = sha256Hex(request.body)
  const key = request.idempotencyKey === undefined ? `sha256:${payloadSha256}` : `key:${request.idempotencyKey}`
  try {
    return await storeInbound(deps, mapping, request.body, payloadSha256, key, request.sender, undefined, request.partial === true, request.context, request.auditInTransaction)
  } catch (err) {
    const answer = failure(err)
    // A sender without the right to write what its payload maps to: nothing to fix in the
    // mapping, so nothing to replay; the refusal is audited, the payload not kept.
    if (err instanceof GatewayError && err.category === 'forbidden') return answer
    const id = deps.ctx.newId()
    await insertDeadLetter(deps.db, {
      id,
      mapping: mapping.name,
      sender: request.sender,
      idempotencyKey: key,
      payloadSha256,
      payloadBytes: Buffer.byteLength(request.body, 'utf8'),
      ...failureFacts(deps.sealer, request.body, answer),
      at: deps.ctx.now().toISOString()
    })
    return withDeadLetterNote({ ...answer, deadLetterId: id })
  }
}

/** Runs a dead letter again with the mapping as it is now; success marks it replayed. */
export async function replayDeadLetter (deps: InboundDeps, id: string, context?: RequestContext, audit?: InboundAudit): Promise<InboundAnswer> {
  const letter = /^[0-9a-f-]{36}$/i.test(id) ? await readDeadLetter(deps.db, id) : undefined
  if (letter === undefined) return failure(new GatewayError('not-found', `No dead letter ${id}`))
  if (letter.replayedAt !== undefined) {
    return failure(new GatewayError('conflict', `Dead letter ${id} was replayed at ${letter.replayedAt} (${letter.replayLocation ?? 'no location'})`))
  }
  const opened = deps.sealer.open(letter.sealed)
  if (opened === undefined) return failure(new GatewayError('conflict', `Dead letter ${id} was sealed with another key than this gateway holds (DEAD_LETTER_KEY)`))
  const { payload } = JSON.parse(opened) as { payload: string }
  const mapping = deps.registry.get(letter.mapping)
  if (mapping === undefined || mapping.direction !== 'inbound') return failure(new GatewayError('not-found', `No inbound mapping named ${letter.mapping}`))
  const at = (): string => deps.ctx.now().toISOString()
  try {
    const answer = await storeInbound(deps, mapping, payload, letter.payloadSha256, letter.idempotencyKey, letter.sender,
      async (tx, location) => { await markReplayed(tx, letter.id, at(), location) }, false, context, audit)
    // The same key was stored meanwhile (the sender retried): the letter is done all the same.
    if (answer.replayed) await markReplayed(deps.db, letter.id, at(), provenanceLocation(answer.body) ?? 'earlier request')
    return answer
  } catch (err) {
    const answer = failure(err)
    await recordFailedReplay(deps.db, letter.id, at(), failureFacts(deps.sealer, payload, answer))
    return { ...answer, deadLetterId: letter.id }
  }
}

async function storeInbound (
  deps: InboundDeps, mapping: LoadedMapping, body: string, payloadSha256: string, key: string, sender: string,
  alsoInTransaction?: (tx: Queryable, location: string) => Promise<void>, partial = false, context?: RequestContext, audit?: InboundAudit
): Promise<InboundAnswer> {
  const bytes = Buffer.byteLength(body, 'utf8')
  if (mapping.maxBytes !== undefined && bytes > mapping.maxBytes) {
    throw new GatewayError('too-large', `A ${mapping.name} payload may have at most ${mapping.maxBytes} bytes; this one has ${bytes}`)
  }
  // The common retry: answered already, so no mapping work at all.
  const earlier = await readReceipt(deps.db, mapping.name, key)
  if (earlier !== undefined) return repeatAnswer(earlier, payloadSha256, key)

  // JSON maps as one document, CSV row by row (inbound-rows.ts).
  let mapped = mapInboundPayload(mapping, body, partial)
  const output = mapped.bundle
  if (output?.resourceType !== 'Bundle' || output.type !== 'transaction') {
    throw new GatewayError('fault', `Mapping ${mapping.name} did not make a transaction Bundle`)
  }
  for (;;) {
    const rows = mapped
    const bundle = withProvenance(rows.bundle, {
      mappingName: mapping.name,
      mappingVersion: mapping.version,
      mappingUrl: mapping.structureMap.url as string,
      sender,
      payloadSha256,
      recorded: deps.ctx.now().toISOString()
    })
    if (context !== undefined) requireScopes(context.caller, bundleNeeds(bundle, deps.fhirBaseUrl))
    try {
      const response = await deps.db.transaction(async (tx) => {
        if (!await claimReceipt(tx, mapping.name, key, payloadSha256)) return undefined
        const result = withRejectedRows(await processTransactionIn(deps.ctx, tx, bundle, { fhirBaseUrl: deps.fhirBaseUrl, returnResources: true, maxEntries: deps.maxEntries }, context), rows.rejected)
        await alsoInTransaction?.(tx, provenanceLocation(result) ?? '')
        const record = audit?.record(result)
        await completeReceipt(tx, mapping.name, key, 201, JSON.stringify(result), record === undefined ? [] : [record])
        if (record !== undefined) audit?.recorded()
        return result
      })
      if (response !== undefined) return { status: 201, body: response, replayed: false }
      break
    } catch (err) {
      // Partial acceptance: a CSV row whose entry cannot be stored joins the rejected rows, and
      // the others are tried again (each attempt rolled back whole, so nothing half-stored).
      const failedRow = partial ? rowOfFailure(err, rows) : undefined
      if (failedRow === undefined) throw withRowNumbers(attributeToRules(err, mapping, bundle), rows)
      mapped = withoutFailedRow(err, rows, failedRow)
    }
  }
  // A twin request claimed the key first and has committed by now.
  const twin = await readReceipt(deps.db, mapping.name, key)
  if (twin === undefined) throw new GatewayError('unavailable', 'A request with the same idempotency key is still being stored; retry')
  return repeatAnswer(twin, payloadSha256, key)
}

function repeatAnswer (receipt: { payloadSha256: string, status: number, response: string }, payloadSha256: string, key: string): InboundAnswer {
  if (receipt.payloadSha256 !== payloadSha256) {
    throw new GatewayError('unprocessable', `Idempotency-Key ${key.replace(/^key:/, '')} was already used for a different payload`)
  }
  return { status: receipt.status, body: JSON.parse(receipt.response) as Bundle, replayed: true }
}

function provenanceLocation (body: Bundle | OperationOutcome): string | undefined {
  if (body.resourceType !== 'Bundle') return undefined
  return body.entry?.map(e => e.response?.location).find(l => l?.startsWith('Provenance/') === true)
}

function failure (err: unknown): InboundAnswer {
  const { status, outcome } = toOutcome(err)
  return { status, body: outcome, replayed: false, error: err }
}

function failureFacts (sealer: Sealer, payload: string, answer: InboundAnswer): { status: number, category: string, issueCount: number, sealed: string } {
  const outcome = answer.body as OperationOutcome
  const category = answer.error instanceof GatewayError ? answer.error.category : answer.status >= 500 ? 'fault' : 'invalid'
  return { status: answer.status, category, issueCount: outcome.issue?.length ?? 0, sealed: sealer.seal(JSON.stringify({ payload, outcome })) }
}

function withDeadLetterNote (answer: InboundAnswer): InboundAnswer {
  const outcome = answer.body as OperationOutcome
  return {
    ...answer,
    body: {
      ...outcome,
      issue: [...(outcome.issue ?? []), {
        severity: 'information',
        code: 'informational',
        details: { text: `The payload is kept as dead letter ${answer.deadLetterId ?? ''}; once the cause is fixed, POST /inbound/dead-letter/${answer.deadLetterId ?? ''}/$replay` }
      }]
    }
  }
}

export type { DeadLetter }
