/**
 * The facts of an audit record as stored (audit_record.facts): exactly what its AuditEvent needs,
 * already reduced to what may be kept. A failed authentication keeps only the client id the
 * request claimed; otherwise the authenticated client, its organisation and its token's id.
 */
import type { AuditedEntity, AuditedInteraction, AuditFacts } from './audit-facts.js'

export interface StoredFacts {
  readonly interaction: AuditedInteraction
  readonly entities: readonly AuditedEntity[]
  readonly requestId: string
  readonly clientId?: string
  readonly odsCode?: string
  /** The access token's id (jti), never the token. */
  readonly tokenId?: string
  readonly sourceIp?: string
}

export function storedFactsOf (facts: AuditFacts): StoredFacts {
  const login = facts.interaction === 'login'
  const caller = facts.request.caller
  const clientId = login ? facts.claimedClientId : caller.clientId
  return {
    interaction: facts.interaction,
    entities: facts.entities,
    requestId: facts.request.requestId,
    ...(clientId === undefined ? {} : { clientId }),
    ...(login || caller.odsCode === undefined ? {} : { odsCode: caller.odsCode }),
    ...(login || caller.tokenId === undefined ? {} : { tokenId: caller.tokenId }),
    ...(facts.sourceIp === undefined ? {} : { sourceIp: facts.sourceIp })
  }
}

/** Reads back what storedFactsOf wrote (the table is written only by the gateway). */
export function parseStoredFacts (json: string): StoredFacts {
  return JSON.parse(json) as StoredFacts
}
