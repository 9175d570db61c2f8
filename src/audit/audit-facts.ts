/**
 * What happened, as the audit trail records it: plain facts gathered from a request and its
 * answer, turned into an AuditEvent by build-audit-event.ts. Nothing here holds a token, a body
 * or a search value that could name a person.
 */
import type { RequestContext } from '../fhir/interactions/request-context.js'

/**
 * FHIR restful-interaction codes (http://hl7.org/fhir/restful-interaction), plus `login` for a
 * failed authentication (DICOM 110122), which is not a REST interaction.
 */
export type AuditedInteraction =
  | 'read' | 'vread' | 'search-type' | 'search-system' | 'history-instance' | 'history-type'
  | 'create' | 'update' | 'patch' | 'delete' | 'transaction' | 'batch' | 'operation' | 'login'

/** A resource, a resource type or a query the interaction touched. */
export interface AuditedEntity {
  readonly type?: string
  readonly id?: string
  readonly versionId?: number
  /** The query as kept for audit (see audit-query.ts): parameter names, not their values. */
  readonly query?: string
  /** An operation's name, e.g. `$expand`. */
  readonly operation?: string
}

export interface AuditFacts {
  readonly request: RequestContext
  readonly interaction: AuditedInteraction
  readonly entities: readonly AuditedEntity[]
  /** The HTTP status answered (or, for a batch entry, the entry's status). */
  readonly status: number
  /** The network address the request came from. */
  readonly sourceIp?: string
  /** For a failed authentication: the client id the request claimed, unverified. */
  readonly claimedClientId?: string
}
