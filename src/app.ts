/**
 * buildApp(config): the table of contents of the gateway. Opens the store, runs migrations,
 * loads definitions and profiles, and registers every plugin in order. Does not listen.
 */
import { fastify, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { pino, type DestinationStream } from 'pino'
import { readFileSync } from 'node:fs'
import { evalFhirPath } from '@medplum/core'
import type { Config } from './config.js'
import { fhirPlugin } from './fhir/plugin.js'
import { toOutcome } from './fhir/outcome.js'
import { FHIR_JSON } from './fhir/routes/reply.js'
import { createFhirContext } from './fhir/fhir-context.js'
import { profilesFrom } from './fhir/validation/profiles.js'
import { searchParametersFrom } from './fhir/validation/search-parameters.js'
import { healthRoutes } from './health/routes.js'
import { requestCallerPlugin } from './auth/request-caller.js'
import { authRoutes } from './auth/routes.js'
import { setUpAuth, type AuthSetup } from './auth/setup.js'
import { hardeningPlugin } from './hardening/plugin.js'
import { securityHeadersPlugin } from './hardening/security-headers-plugin.js'
import { auditPlugin } from './audit/plugin.js'
import { createAuditTrail } from './audit/audit-trail.js'
import { readConformanceFiles } from './fhir/validation/conformance-files.js'
import { publishConformance } from './fhir/conformance/publish.js'
import { loggerOptions } from './logging.js'
import { requestIdFor } from './request-id.js'
import { migrate } from './store/migrate.js'
import { openDatabase } from './store/open.js'
import { registerTallies } from './store/search-tally.js'
import { parseCountedSearch } from './fhir/search/counted.js'
import { loadImdLookup } from './dashboard/imd-lookup.js'
import { loadMappings } from './mapping/load-mappings.js'
import { mappingResources } from './mapping/registry.js'
import { inboundPlugin } from './mapping/routes.js'
import { createSealer } from './mapping/dead-letter-seal.js'
import { resolveDeadLetterKey } from './mapping/dead-letter-key.js'
import { outboundRoutes } from './outbound/routes.js'

export interface BuildOptions {
  /** Where logs go; stdout when absent. Tests pass a stream to inspect what was logged. */
  readonly logStream?: DestinationStream
}

const packageVersion = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

export async function buildApp (config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  // pino's Logger is a FastifyBaseLogger; the cast keeps the app's type the plain FastifyInstance.
  const logger = pino(loggerOptions(config.logLevel), options.logStream)
  const app = fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimit,
    genReqId: requestIdFor,
    requestIdHeader: false,
    requestTimeout: 60_000,
    return503OnClosing: true
  })

  // Reference data first: a bad lookup file stops start-up before the store is opened.
  const imdLookup = await loadImdLookup(config.imdLookupFile)
  const files = await readConformanceFiles(config.profilesDir)
  const conformance = files.map(file => file.resource)
  const ctx = createFhirContext({
    profiles: profilesFrom(files),
    searchParameters: searchParametersFrom(files),
    conformance,
    unknownProfile: config.unknownProfile,
    fhirBaseUrl: config.fhirBaseUrl,
    searchDefaultCount: config.searchDefaultCount,
    searchMaxCount: config.searchMaxCount,
    searchDefaultTotal: config.searchDefaultTotal
  })
  // A broken mapping stops start-up before the store is opened.
  const mappings = await loadMappings(config.mappingsDir, { terminology: ctx.terminology })
  for (const m of mappings.mappings) if (m.unavailable !== undefined) logger.warn({ mapping: m.name }, `mapping cannot run: ${m.unavailable}`)

  const db = await openDatabase(config.store)
  app.addHook('onClose', async () => { await db.close() })
  await migrate(db)
  await publishConformance(ctx, db, [...conformance, ...mappingResources(mappings)])
  const deadLetterKey = await resolveDeadLetterKey(config)
  if (deadLetterKey.source === 'process' && config.store.kind === 'postgres') {
    logger.warn('DEAD_LETTER_KEY is not set: dead letters sealed by this process cannot be replayed after it stops')
  }
  try {
    await registerTallies(db, config.searchCounted.map(text => parseCountedSearch(ctx.search, text)))
  } catch (err) {
    await db.close()
    throw err
  }
  const auth = config.auth.disabled ? undefined : await setUpAuth(config.auth, config.store, config.production, db)
  announceAuth(app, auth)

  // Warm the FHIRPath parser cache so the first request does not pay for it.
  evalFhirPath('Patient.id', { resourceType: 'Patient' })

  // While shutting down, answers to in-flight requests close their keep-alive connection;
  // otherwise an idle client connection would hold the shutdown open until it timed out.
  let closing = false
  app.addHook('preClose', async () => { closing = true })
  // Callback-style hooks: every request runs them, and an async hook costs a promise each time.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('X-Request-Id', request.id)
    if (closing) reply.header('Connection', 'close')
    done(null, payload)
  })
  app.setErrorHandler(async (err, request, reply) => {
    const { status, outcome } = toOutcome(err, request.id)
    if (status >= 500) request.log.error({ err }, 'request failed')
    return await reply.code(status).type(FHIR_JSON).send(outcome)
  })
  app.setNotFoundHandler(async (_request, reply) => {
    return await reply.code(404).type(FHIR_JSON).send({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'not-found', details: { text: 'Nothing at this path; the FHIR API is under /fhir' } }]
    })
  })

  // Creates, reads and audit records may each keep an eighth of the pool busy (2 statements
  // with the default 20): fewer statements in flight make bigger batches, which measured
  // cheaper per row than a quarter (docs/benchmarks.md). The rest stays free for transactions
  // and searches. PGlite runs one statement at a time anyway.
  const batching = {
    concurrency: config.store.kind === 'postgres' ? Math.max(1, Math.floor(config.store.poolSize / 8)) : 1,
    maxItems: 100
  }
  // 200 audit records per transaction when they become AuditEvents: big enough that the
  // per-statement costs are shared out, small enough to keep the heap flat (1,000 per chunk
  // measured about 20 MB more at peak for no faster turning; docs/audit.md).
  const audit = createAuditTrail(db, ctx, { fhirBaseUrl: config.fhirBaseUrl, batching, chunk: 200 })

  await app.register(securityHeadersPlugin)
  await app.register(requestCallerPlugin, { auth, fhirBaseUrl: config.fhirBaseUrl })
  await app.register(hardeningPlugin, { rateLimit: config.rateLimit })
  // Audit records become AuditEvents after a second without requests, and under load whenever
  // 20,000 or more are waiting: about 10 s of work (at the ~2,000 records/s measured) for the
  // first AuditEvent search after a busy spell.
  await app.register(auditPlugin, { trail: audit, materialising: { idleMs: 1000, maxBacklog: 20_000 } })
  if (auth !== undefined) await app.register(authRoutes, { auth, baseUrl: config.auth.baseUrl })
  await app.register(healthRoutes, { db })
  await app.register(fhirPlugin, {
    prefix: '/fhir',
    db,
    ctx,
    fhirBaseUrl: config.fhirBaseUrl,
    historyPageSize: config.historyPageSize,
    softwareVersion: packageVersion,
    imdLookup,
    ...(auth === undefined ? {} : { tokenUrl: auth.tokenUrl }),
    batching,
    audit,
    mappings
  })
  await app.register(inboundPlugin, {
    prefix: '/inbound',
    db,
    ctx,
    registry: mappings,
    sealer: createSealer(deadLetterKey.key),
    fhirBaseUrl: config.fhirBaseUrl,
    maxEntries: 1000,
    audit
  })
  await app.register(outboundRoutes, { db, ctx, mappings })
  return app
}

/** Says on every start how requests are authenticated, loudly when they are not. */
function announceAuth (app: FastifyInstance, auth: AuthSetup | undefined): void {
  if (auth === undefined) {
    app.log.warn('AUTHENTICATION IS DISABLED (AUTH_DISABLED=true): every request may read and change everything. Never run like this with real data.')
    return
  }
  if (auth.demoClientId !== undefined) {
    app.log.info({ clientId: auth.demoClientId }, 'demo admin client ready (local embedded store): get a token with TOKEN=$(npm run -s token), then send -H "Authorization: Bearer $TOKEN"')
  } else if (auth.clients.size === 0) {
    app.log.warn('no clients are registered (set AUTH_CLIENTS_FILE): every protected route answers 401')
  } else {
    app.log.info({ clients: auth.clients.size }, 'clients registered')
  }
}
