/**
 * Builds authentication from the configuration at start-up: the registered clients (the clients
 * file, or the demo admin client of a local embedded store), the gateway's signing key, the token
 * settings and the per-request token verifier.
 */
import type { AuthConfig, StoreConfig } from '../config.js'
import type { Database } from '../store/database.js'
import { claimJti, pruneExpiredJtis } from '../store/used-jti.js'
import { createTokenVerifier, type TokenSettings, type TokenVerifier } from './access-token.js'
import { buildRegistry, readClientsFile, type ClientRegistration, type ClientRegistry } from './clients.js'
import { ensureDemoClient } from './demo-client.js'
import { loadGatewayKey, type GatewayKey } from './gateway-key.js'
import type { TokenExchange } from './token-exchange.js'

export interface AuthSetup {
  readonly disabled: boolean
  readonly clients: ClientRegistry
  readonly key: GatewayKey
  readonly tokenUrl: string
  readonly exchange: TokenExchange
  readonly verifier: TokenVerifier
  /** The demo admin client's id when one was set up (local embedded store only). */
  readonly demoClientId: string | undefined
}

/** Forget used jtis at most this often: a token request then and again is cheap. */
const PRUNE_EVERY_MS = 60_000

export async function setUpAuth (auth: AuthConfig, store: StoreConfig, production: boolean, db: Database): Promise<AuthSetup> {
  const localDataDir = !production && store.kind === 'pglite' ? store.dataDir : undefined
  let registrations: ClientRegistration[] = []
  let demoClientId: string | undefined
  if (auth.clientsFile !== undefined) {
    registrations = await readClientsFile(auth.clientsFile)
  } else if (localDataDir !== undefined && !auth.disabled) {
    const demo = await ensureDemoClient(localDataDir)
    registrations = [demo]
    demoClientId = demo.clientId
  }
  const clients = buildRegistry(registrations)
  const key = await loadGatewayKey(auth.signingKeyFile !== undefined
    ? { kind: 'file', path: auth.signingKeyFile }
    : localDataDir !== undefined ? { kind: 'data-dir', dataDir: localDataDir } : { kind: 'ephemeral' })
  const tokens: TokenSettings = {
    key,
    issuer: auth.baseUrl,
    audience: `${auth.baseUrl}/fhir`,
    lifetimeSeconds: auth.tokenLifetimeSeconds
  }
  let lastPrune = 0
  const exchange: TokenExchange = {
    clients,
    tokenUrl: `${auth.baseUrl}/auth/token`,
    tokens,
    claimJti: async (clientId, jti, expiresAt) => {
      const now = Date.now()
      if (now - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = now
        await pruneExpiredJtis(db, new Date(now))
      }
      return await claimJti(db, clientId, jti, expiresAt)
    }
  }
  return {
    disabled: auth.disabled,
    clients,
    key,
    tokenUrl: exchange.tokenUrl,
    exchange,
    verifier: createTokenVerifier(tokens, clients),
    demoClientId
  }
}
