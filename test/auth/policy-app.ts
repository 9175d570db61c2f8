/**
 * The gateway for the access-policy tests, with authentication on, the world's clients
 * registered, and each client's bearer token (fetched once through POST /auth/token).
 */
import type { Test } from 'tap'
import type { TestApp } from '../helper.js'
import { buildAuthedTestApp } from './helper.js'
import { CLIENT_NAMES, CLIENTS, type ClientName, type Headers } from './policy-world.js'

export interface PolicyApp extends TestApp {
  readonly as: (client: ClientName) => Promise<Headers>
}

export async function buildPolicyApp (t: Test): Promise<PolicyApp> {
  const authed = await buildAuthedTestApp(t, CLIENT_NAMES.map(name => ({ ...CLIENTS[name] })), { RATE_LIMIT_MAX: '0' })
  // Tokens live five minutes by default, longer than this file runs.
  const tokens = new Map<ClientName, Headers>()
  for (const name of CLIENT_NAMES) tokens.set(name, await authed.bearer(CLIENTS[name].clientId))
  return { app: authed.app, logs: authed.logs, as: async (client) => tokens.get(client) as Headers }
}
