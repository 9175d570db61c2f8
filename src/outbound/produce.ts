/**
 * The outbound path without HTTP: gather a stored referral, run an outbound mapping on it and
 * check the result — against the mapping's JSON Schema (inside runMapping) or, when the output is
 * FHIR, against base R4 and the gateway's checks. What comes back is ready to send.
 */
import type { Resource } from '@medplum/fhirtypes'
import type { Database } from '../store/database.js'
import type { FhirContext } from '../fhir/interactions/context.js'
import { GatewayError } from '../errors.js'
import type { LoadedMapping, MappingRegistry } from '../mapping/registry.js'
import { runMapping } from '../mapping/run-mapping.js'
import { gatherReferral } from './gather.js'
import type { RequestContext } from '../fhir/interactions/request-context.js'
import { accessOf } from '../auth/access-policy.js'
import { requireVisible } from '../auth/enforce.js'

export interface OutboundResult {
  readonly mapping: LoadedMapping
  /** The payload, or a FHIR resource (then `fhir` is true). */
  readonly output: unknown
  readonly fhir: boolean
}

export function outboundMapping (registry: MappingRegistry, name: string): LoadedMapping {
  const mapping = registry.get(name)
  if (mapping?.direction !== 'outbound') {
    const known = registry.mappings.filter(m => m.direction === 'outbound').map(m => m.name).join(', ')
    throw new GatewayError('not-found', `No outbound mapping named ${name} (outbound mappings: ${known})`)
  }
  return mapping
}

export async function produceOutbound (
  ctx: FhirContext, db: Database, registry: MappingRegistry, mappingName: string, referralId: string, request?: RequestContext
): Promise<OutboundResult> {
  const mapping = outboundMapping(registry, mappingName)
  const access = request === undefined ? undefined : accessOf(request.caller)
  // One snapshot: the referral, its tasks and outcomes as they stood at one moment.
  const gathered = await db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ')
    // A referral outside the caller's organisation is not known to it (404), as in the FHIR API.
    if (access !== undefined) await requireVisible(tx, access, 'ServiceRequest', referralId)
    return await gatherReferral(ctx, tx, referralId)
  })
  const output = runMapping(mapping, gathered)
  const fhir = isResource(output)
  if (fhir) {
    try {
      ctx.validator.validate(output)
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err
      throw new GatewayError('unprocessable', `The output of mapping ${mapping.name} is not valid FHIR R4`, { issues: err.issues, cause: err })
    }
  }
  return { mapping, output, fhir }
}

function isResource (value: unknown): value is Resource {
  return value !== null && typeof value === 'object' && typeof (value as { resourceType?: unknown }).resourceType === 'string'
}
