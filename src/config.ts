/**
 * The gateway's configuration: read once from the environment, validated with ajv,
 * frozen and passed down. No other module reads process.env.
 */
import { Ajv } from 'ajv'

const envSchema = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
    HOST: { type: 'string', minLength: 1, default: '0.0.0.0' },
    BASE_URL: { type: 'string', pattern: '^https?://[^\\s]+$' },
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://' },
    DATA_DIR: { type: 'string', minLength: 1, default: './data' },
    LOG_LEVEL: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    BODY_LIMIT: { type: 'integer', minimum: 1024, maximum: 104857600, default: 5242880 },
    PROFILES_DIR: { type: 'string', minLength: 1, default: './profiles' },
    UNKNOWN_PROFILE: { type: 'string', enum: ['reject', 'warn'], default: 'reject' },
    HISTORY_PAGE_SIZE: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
    SEARCH_DEFAULT_COUNT: { type: 'integer', minimum: 1, maximum: 10000, default: 20 },
    SEARCH_MAX_COUNT: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
    SEARCH_DEFAULT_TOTAL: { type: 'string', enum: ['none', 'estimate', 'accurate'], default: 'none' },
    SEARCH_COUNTED: { type: 'string', default: '' },
    DB_POOL_SIZE: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
    SHUTDOWN_GRACE_MS: { type: 'integer', minimum: 0, maximum: 600000, default: 10000 },
    NODE_ENV: { type: 'string' },
    AUTH_DISABLED: { type: 'boolean', default: false },
    AUTH_CLIENTS_FILE: { type: 'string', minLength: 1 },
    AUTH_SIGNING_KEY_FILE: { type: 'string', minLength: 1 },
    AUTH_TOKEN_LIFETIME: { type: 'integer', minimum: 1, maximum: 3600, default: 300 },
    RATE_LIMIT_MAX: { type: 'integer', minimum: 0, maximum: 1000000000, default: 1200 },
    RATE_LIMIT_WINDOW_MS: { type: 'integer', minimum: 1000, maximum: 3600000, default: 60000 },
    IMD_LOOKUP_FILE: { type: 'string', minLength: 1 }
  }
} as const

const validateEnv = new Ajv({ useDefaults: true, coerceTypes: true, allErrors: true }).compile(envSchema)

export type StoreConfig =
  | { readonly kind: 'postgres', readonly url: string, readonly poolSize: number }
  | { readonly kind: 'pglite', readonly dataDir: string | undefined }

export interface AuthConfig {
  /** AUTH_DISABLED=true: every request is UNRESTRICTED_CALLER (refused in production). */
  readonly disabled: boolean
  /** Registered clients (docs/auth.md); absent: none, or the demo client on a local embedded store. */
  readonly clientsFile: string | undefined
  /** Private JWK the gateway signs access tokens with; required in production. */
  readonly signingKeyFile: string | undefined
  readonly tokenLifetimeSeconds: number
  /** The gateway's public base URL (no trailing slash): token `iss`, and the token endpoint's `aud` is `${baseUrl}/auth/token`. */
  readonly baseUrl: string
}

export interface RateLimitConfig {
  /** Requests per client (or IP, before authentication) per window; 0 turns rate limiting off. */
  readonly max: number
  readonly windowMs: number
}

export interface Config {
  readonly port: number
  readonly host: string
  /** Absolute base of the FHIR API as clients see it, used in Location headers and Bundle links. */
  readonly fhirBaseUrl: string
  readonly logLevel: string
  readonly bodyLimit: number
  readonly profilesDir: string
  readonly unknownProfile: 'reject' | 'warn'
  readonly historyPageSize: number
  /** _count when a search names none, and the most any search may ask for. */
  readonly searchDefaultCount: number
  readonly searchMaxCount: number
  /** Bundle.total when a search has no _total: counting every match is the costly part of a big search. */
  readonly searchDefaultTotal: 'none' | 'estimate' | 'accurate'
  /**
   * Searches whose count (_summary=count, _total=accurate) is kept up to date on every write, for
   * dashboard tiles: `Type?param=value&…`, separated by whitespace.
   */
  readonly searchCounted: readonly string[]
  readonly shutdownGraceMs: number
  /** CSV `postcode,imd_decile` for the dashboard's deprivation figures; none: no decile is derivable. */
  readonly imdLookupFile?: string
  readonly store: StoreConfig
  /** NODE_ENV=production: no demo client, no disabled auth, a configured signing key. */
  readonly production: boolean
  readonly auth: AuthConfig
  readonly rateLimit: RateLimitConfig
}

interface RawEnv {
  PORT: number
  HOST: string
  BASE_URL?: string
  DATABASE_URL?: string
  DATA_DIR: string
  LOG_LEVEL: string
  BODY_LIMIT: number
  PROFILES_DIR: string
  UNKNOWN_PROFILE: 'reject' | 'warn'
  HISTORY_PAGE_SIZE: number
  SEARCH_DEFAULT_COUNT: number
  SEARCH_MAX_COUNT: number
  SEARCH_DEFAULT_TOTAL: 'none' | 'estimate' | 'accurate'
  SEARCH_COUNTED: string
  DB_POOL_SIZE: number
  SHUTDOWN_GRACE_MS: number
  NODE_ENV?: string
  AUTH_DISABLED: boolean
  AUTH_CLIENTS_FILE?: string
  AUTH_SIGNING_KEY_FILE?: string
  AUTH_TOKEN_LIFETIME: number
  RATE_LIMIT_MAX: number
  RATE_LIMIT_WINDOW_MS: number
  IMD_LOOKUP_FILE?: string
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

/**
 * Builds the Config from environment variables. `DATA_DIR=:memory:` keeps the embedded
 * store in memory (tests). Throws ConfigError naming every bad variable.
 */
export function loadConfig (env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(envSchema.properties)
  const raw: Record<string, unknown> = {}
  for (const key of known) {
    const value = env[key]
    if (value !== undefined && value !== '') raw[key] = value
  }
  if (!validateEnv(raw)) {
    const problems = (validateEnv.errors ?? []).map(e => `${e.instancePath.slice(1) || 'environment'} ${e.message ?? 'is invalid'}`)
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`)
  }
  const values = raw as unknown as RawEnv
  const baseUrl = (values.BASE_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, '')
  const fhirBaseUrl = baseUrl + '/fhir'
  const production = values.NODE_ENV === 'production'
  if (production && values.AUTH_DISABLED) throw new ConfigError('Invalid configuration: AUTH_DISABLED=true is refused when NODE_ENV=production')
  if (production && values.AUTH_SIGNING_KEY_FILE === undefined && !values.AUTH_DISABLED) {
    throw new ConfigError('Invalid configuration: AUTH_SIGNING_KEY_FILE (the private JWK access tokens are signed with) is required when NODE_ENV=production')
  }
  const store: StoreConfig = values.DATABASE_URL !== undefined
    ? { kind: 'postgres', url: values.DATABASE_URL, poolSize: values.DB_POOL_SIZE }
    : { kind: 'pglite', dataDir: values.DATA_DIR === ':memory:' ? undefined : values.DATA_DIR }
  return Object.freeze({
    port: values.PORT,
    host: values.HOST,
    fhirBaseUrl,
    logLevel: values.LOG_LEVEL,
    bodyLimit: values.BODY_LIMIT,
    profilesDir: values.PROFILES_DIR,
    unknownProfile: values.UNKNOWN_PROFILE,
    historyPageSize: values.HISTORY_PAGE_SIZE,
    searchDefaultCount: Math.min(values.SEARCH_DEFAULT_COUNT, values.SEARCH_MAX_COUNT),
    searchMaxCount: values.SEARCH_MAX_COUNT,
    searchDefaultTotal: values.SEARCH_DEFAULT_TOTAL,
    searchCounted: Object.freeze(values.SEARCH_COUNTED.split(/\s+/).filter(s => s !== '')),
    shutdownGraceMs: values.SHUTDOWN_GRACE_MS,
    ...(values.IMD_LOOKUP_FILE === undefined ? {} : { imdLookupFile: values.IMD_LOOKUP_FILE }),
    store,
    production,
    auth: Object.freeze({
      disabled: values.AUTH_DISABLED,
      clientsFile: values.AUTH_CLIENTS_FILE,
      signingKeyFile: values.AUTH_SIGNING_KEY_FILE,
      tokenLifetimeSeconds: values.AUTH_TOKEN_LIFETIME,
      baseUrl
    }),
    rateLimit: Object.freeze({ max: values.RATE_LIMIT_MAX, windowMs: values.RATE_LIMIT_WINDOW_MS })
  })
}
