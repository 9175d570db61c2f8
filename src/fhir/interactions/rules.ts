/** The small glue between create/update and the WriteRules hooks (context.ts). */
import type { Resource } from '@medplum/fhirtypes'
import type { Queryable } from '../../store/database.js'
import type { FhirContext } from './context.js'

export const noPrevious = (): undefined => undefined

/** Parses the stored previous version only if a rule asks for it. */
export function previousOf (json: string | null | undefined): () => Resource | undefined {
  let parsed: Resource | undefined
  return () => {
    if (parsed === undefined && typeof json === 'string') parsed = JSON.parse(json) as Resource
    return parsed
  }
}

/** Runs the before-rules; a resource they changed is validated again before it is stored. */
export async function applyRulesBefore (ctx: FhirContext, q: Queryable, stamped: Resource, previous: () => Resource | undefined): Promise<Resource> {
  if (ctx.rules === undefined) return stamped
  const stored = await ctx.rules.before(ctx, q, stamped, previous)
  if (stored !== stamped) ctx.validator.validate(stored)
  return stored
}
