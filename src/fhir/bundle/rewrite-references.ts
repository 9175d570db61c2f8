/**
 * Transaction reference resolution (https://hl7.org/fhir/R4/http.html#trules): references to an
 * entry's fullUrl become the id the server assigned, and conditional references
 * (Patient?identifier=…) become the one resource the search finds.
 */
import type { Queryable } from '../../store/database.js'
import { GatewayError } from '../../errors.js'
import { exactlyOne, findConditionalMatches } from '../interactions/conditional.js'
import type { FhirContext } from '../interactions/context.js'
import type { RequestContext } from '../interactions/request-context.js'

const CONDITIONAL_REFERENCE = /^([A-Z][A-Za-z]+)\?(.+)$/

/** A restricted caller's conditional references find only what it may see (src/auth/). */
export async function rewriteReferences (
  ctx: FhirContext, tx: Queryable, value: unknown, fullUrls: ReadonlyMap<string, string>, path: string, request?: RequestContext
): Promise<void> {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) await rewriteReferences(ctx, tx, item, fullUrls, `${path}[${index}]`, request)
    return
  }
  if (value === null || typeof value !== 'object') return
  const object = value as Record<string, unknown>
  for (const [key, child] of Object.entries(object)) {
    if (key === 'reference' && typeof child === 'string') {
      object[key] = await resolveReference(ctx, tx, child, fullUrls, `${path}.reference`, request)
    } else {
      await rewriteReferences(ctx, tx, child, fullUrls, `${path}.${key}`, request)
    }
  }
}

async function resolveReference (
  ctx: FhirContext, tx: Queryable, reference: string, fullUrls: ReadonlyMap<string, string>, expression: string, request: RequestContext | undefined
): Promise<string> {
  const mapped = fullUrls.get(reference)
  if (mapped !== undefined) return mapped
  const conditional = CONDITIONAL_REFERENCE.exec(reference)
  if (conditional === null) return reference
  const [, type = '', query = ''] = conditional
  const match = exactlyOne(await findConditionalMatches(ctx, tx, type, query, request), `Conditional reference ${reference}`)
  if (match === undefined) {
    throw new GatewayError('precondition-failed', `Conditional reference ${reference} matched no resource`, { expression })
  }
  return `${type}/${match.id}`
}
