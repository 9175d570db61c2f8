/**
 * Whether two references name the same person: both local references to the same resource
 * (`Patient/1` and this server's absolute `…/fhir/Patient/1` alike), or, neither being local,
 * the same reference text and the same identifier.
 */
import type { Reference } from '@medplum/fhirtypes'
import type { FhirContext } from '../fhir/interactions/context.js'
import { localTarget } from './store-access.js'

export function samePerson (ctx: FhirContext, a: Reference | undefined, b: Reference | undefined): boolean {
  const [left, right] = [localTarget(ctx, a), localTarget(ctx, b)]
  if (left !== undefined || right !== undefined) return left?.type === right?.type && left?.id === right?.id
  return a?.reference === b?.reference && JSON.stringify(a?.identifier) === JSON.stringify(b?.identifier)
}
