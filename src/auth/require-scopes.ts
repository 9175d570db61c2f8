/**
 * Scope checks a route cannot make before its handler runs: an inbound mapping's writes are
 * known only once the payload is mapped, so the inbound path checks the mapped Bundle's needs
 * against the caller's granted scopes here, with the same rules as the FHIR API.
 */
import { GatewayError } from '../errors.js'
import type { Caller } from './caller.js'
import type { ScopeNeed } from './fhir-interactions.js'
import { parseScope, scopesAllow, type ParsedScope } from './scopes.js'

const parsedOf = new WeakMap<Caller, ParsedScope[]>()

function parsedScopes (caller: Caller): ParsedScope[] {
  let parsed = parsedOf.get(caller)
  if (parsed === undefined) {
    parsed = caller.scopes.flatMap(scope => parseScope(scope) ?? [])
    parsedOf.set(caller, parsed)
  }
  return parsed
}

/** 403 naming the first need the caller's scopes do not cover. */
export function requireScopes (caller: Caller, needs: readonly ScopeNeed[]): void {
  const scopes = parsedScopes(caller)
  const missing = needs.find(need => !scopesAllow(scopes, need.type, need.interaction))
  if (missing !== undefined) {
    throw new GatewayError('forbidden', `The access token's scopes do not allow this: it needs system/${missing.type}.${missing.interaction}`)
  }
}
