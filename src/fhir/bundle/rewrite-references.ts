/**
 * Transaction reference resolution (https://hl7.org/fhir/R4/http.html#trules): references to an
 * entry's fullUrl become the id the server assigned, and conditional references
 * (Patient?identifier=…) become the one resource the search finds.
 */
import type { Queryable } from '../../store/database.js'
import { GatewayError } from '../../errors.js'
import { forEachReference, locationOf } from '../reference-walk.js'
import { exactlyOne, findConditionalMatches } from '../interactions/conditional.js'
import type { FhirContext } from '../interactions/context.js'
import type { RequestContext } from '../interactions/request-context.js'

const CONDITIONAL_REFERENCE = /^([A-Z][A-Za-z]+)\?(.+)$/

/** A restricted caller's conditional references find only what it may see (src/auth/). */
export async function rewriteReferences (
  ctx: FhirContext, tx: Queryable, value: unknown, fullUrls: ReadonlyMap<string, string>, path: string, request?: RequestContext
): Promise<void> {
  // In document order, as before: the first conditional reference that fails is the one named.
  for (const site of rewriteFullUrlReferences(value, fullUrls, path)) {
    site.holder.reference = await resolveConditional(ctx, tx, site.reference, site.expression, request)
  }
}

/** A conditional reference left to resolve: the object holding it and its FHIRPath location. */
export interface ConditionalReferenceSite {
  readonly holder: { reference: string }
  readonly reference: string
  readonly expression: string
}

/**
 * Rewrites every reference to an entry's fullUrl in place, without waiting on anything, and
 * returns the conditional references (which need the store) in document order. The location of a
 * reference is spelled out only for those: a Bundle has hundreds of nodes and few such references.
 */
export function rewriteFullUrlReferences (value: unknown, fullUrls: ReadonlyMap<string, string>, path: string): ConditionalReferenceSite[] {
  const sites: ConditionalReferenceSite[] = []
  forEachReference(value, (holder, reference, segments) => {
    const mapped = fullUrls.get(reference)
    if (mapped !== undefined) holder.reference = mapped
    else if (CONDITIONAL_REFERENCE.test(reference)) sites.push({ holder: holder as { reference: string }, reference, expression: `${locationOf(path, segments)}.reference` })
  })
  return sites
}

async function resolveConditional (
  ctx: FhirContext, tx: Queryable, reference: string, expression: string, request: RequestContext | undefined
): Promise<string> {
  const [, type = '', query = ''] = CONDITIONAL_REFERENCE.exec(reference) ?? []
  const match = exactlyOne(await findConditionalMatches(ctx, tx, type, query, request), `Conditional reference ${reference}`)
  if (match === undefined) {
    throw new GatewayError('precondition-failed', `Conditional reference ${reference} matched no resource`, { expression })
  }
  return `${type}/${match.id}`
}
