/**
 * The registered clients: who may ask for a token, with which keys, for which organisation, role
 * and scopes. They come from a JSON file (AUTH_CLIENTS_FILE, validated with ajv at start-up, see
 * docs/auth.md) plus, on a local embedded store, the demo admin client.
 * Public keys are inline (`jwks`) or fetched from the client's `jwksUri` with undici, cached by jose
 * (10 minutes; an unknown kid refetches at most every 30 s, so a rotated key is picked up).
 */
import { readFile } from 'node:fs/promises'
import { Ajv } from 'ajv'
import { createLocalJWKSet, createRemoteJWKSet, customFetch, type FetchImplementation, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose'
import { fetch as undiciFetch } from 'undici'
import { ConfigError } from '../config.js'
import { CLIENT_ROLES, type ClientRole } from './caller.js'
import { parseScope } from './scopes.js'

export interface ClientRegistration {
  readonly clientId: string
  readonly role: ClientRole
  readonly odsCode?: string
  readonly scopes: readonly string[]
  readonly identifiable?: boolean
  readonly jwks?: JSONWebKeySet
  readonly jwksUri?: string
}

export interface RegisteredClient {
  readonly clientId: string
  readonly role: ClientRole
  readonly odsCode?: string
  readonly scopes: readonly string[]
  readonly identifiable: boolean
  /** Resolves the key of an assertion's header (kid and alg), for jose's jwtVerify. */
  readonly keys: JWTVerifyGetKey
}

export type ClientRegistry = ReadonlyMap<string, RegisteredClient>

const jwkSchema = {
  type: 'object',
  required: ['kty', 'kid'],
  properties: {
    kty: { enum: ['RSA', 'EC'] },
    kid: { type: 'string', minLength: 1 },
    // A private key in the registry would be a leak waiting to happen.
    d: { not: {} }
  }
} as const

const registrySchema = {
  type: 'object',
  required: ['clients'],
  additionalProperties: false,
  properties: {
    clients: {
      type: 'array',
      items: {
        type: 'object',
        required: ['clientId', 'role', 'scopes'],
        additionalProperties: false,
        properties: {
          clientId: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
          role: { enum: CLIENT_ROLES },
          odsCode: { type: 'string', pattern: '^[A-Za-z0-9.-]{1,32}$' },
          scopes: { type: 'array', minItems: 1, items: { type: 'string' } },
          identifiable: { type: 'boolean' },
          jwks: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', minItems: 1, items: jwkSchema } } },
          jwksUri: { type: 'string', pattern: '^(https://|http://(localhost|127\\.0\\.0\\.1)[:/])' }
        },
        oneOf: [{ required: ['jwks'] }, { required: ['jwksUri'] }],
        // Every role but admin acts for an organisation: the policy needs its ODS code.
        if: { properties: { role: { not: { const: 'admin' } } } },
        then: { required: ['odsCode'] }
      }
    }
  }
} as const

const validateRegistry = new Ajv({ allErrors: true }).compile(registrySchema)


/** Reads and checks the clients file; throws ConfigError naming every problem (start-up stops, like a bad variable). */
export async function readClientsFile (path: string): Promise<ClientRegistration[]> {
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'))
  } catch (err) {
    throw new ConfigError(`AUTH_CLIENTS_FILE ${path} is not readable JSON: ${(err as Error).message}`)
  }
  return checkRegistrations(parsed, `AUTH_CLIENTS_FILE ${path}`)
}

export function checkRegistrations (parsed: unknown, source: string): ClientRegistration[] {
  if (!validateRegistry(parsed)) {
    const problems = (validateRegistry.errors ?? []).map(e => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
    throw new ConfigError(`${source}: ${problems.join('; ')}`)
  }
  const registrations = (parsed as { clients: ClientRegistration[] }).clients
  const seen = new Set<string>()
  for (const client of registrations) {
    if (seen.has(client.clientId)) throw new ConfigError(`${source}: client ${client.clientId} is registered twice`)
    seen.add(client.clientId)
    const bad = client.scopes.filter(scope => parseScope(scope) === undefined)
    if (bad.length > 0) throw new ConfigError(`${source}: client ${client.clientId} has unsupported scopes ${bad.join(', ')} (use system/<Type|*>.<cruds>)`)
  }
  return registrations
}

export function buildRegistry (registrations: readonly ClientRegistration[]): ClientRegistry {
  return new Map(registrations.map(registration => [registration.clientId, toClient(registration)]))
}

function toClient (registration: ClientRegistration): RegisteredClient {
  const keys: JWTVerifyGetKey = registration.jwks !== undefined
    ? createLocalJWKSet(registration.jwks)
    : createRemoteJWKSet(new URL(registration.jwksUri ?? ''), {
      // undici's fetch takes what jose passes; only the type declarations differ.
      [customFetch]: undiciFetch as unknown as FetchImplementation,
      cacheMaxAge: 600_000,
      cooldownDuration: 30_000,
      timeoutDuration: 5_000
    })
  return Object.freeze({
    clientId: registration.clientId,
    role: registration.role,
    ...(registration.odsCode === undefined ? {} : { odsCode: registration.odsCode }),
    scopes: Object.freeze([...registration.scopes]),
    identifiable: registration.identifiable ?? false,
    keys
  })
}
