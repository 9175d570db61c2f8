/**
 * Who is asking and which request this is, for the interactions that must decide access
 * (src/auth/) or record it (AuditEvent). Routes build it from the Fastify request; interactions
 * take it as a plain argument.
 */
import type { Caller } from '../../auth/caller.js'

export interface RequestContext {
  readonly caller: Caller
  /** The X-Request-Id of the HTTP request, carried into audit records. */
  readonly requestId: string
}
