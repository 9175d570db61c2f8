/**
 * Who is asking: the authenticated client behind a request, as every access decision sees it.
 * The auth plugin attaches one to each request (`request.caller`); domain code takes it as a
 * plain argument. With authentication disabled (AUTH_DISABLED=true) every request carries
 * UNRESTRICTED_CALLER, so the policy code has one path, never a "no caller" special case.
 */

/** The kinds of client the gateway serves; each has its own organisation-level policy. */
export type ClientRole = 'gp-system' | 'link-worker-service' | 'vcfse-crm' | 'dashboard' | 'admin'

export const CLIENT_ROLES: readonly ClientRole[] = ['gp-system', 'link-worker-service', 'vcfse-crm', 'dashboard', 'admin']

export interface Caller {
  /** The registered client id (the JWT `iss`/`sub` of its assertion). */
  readonly clientId: string
  readonly role: ClientRole
  /** ODS code of the client's organisation; absent only for an admin client. */
  readonly odsCode?: string
  /** Granted SMART v2 system scopes, as registered and as requested at token time (e.g. `system/Task.rus`). */
  readonly scopes: readonly string[]
  /** A dashboard client explicitly granted direct identifiers (NHS number, names, addresses…). */
  readonly identifiable: boolean
  /** The access token's id (`jti`), for audit; absent when authentication is disabled. */
  readonly tokenId?: string
}

/** The caller of every request when authentication is disabled: sees and may do everything. */
export const UNRESTRICTED_CALLER: Caller = Object.freeze({
  clientId: 'auth-disabled',
  role: 'admin',
  scopes: Object.freeze(['system/*.cruds']),
  identifiable: true
})
