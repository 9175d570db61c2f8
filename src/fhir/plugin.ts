/**
 * The FHIR REST API as one encapsulated plugin under /fhir: JSON body parsing for the FHIR media
 * types, content negotiation, the OperationOutcome error and 404 handlers, and every route.
 */
import type { FastifyInstance, FastifyError } from 'fastify'
import type { Database } from '../store/database.js'
import { buildCapabilityStatement } from './capability-statement.js'
import { checkAcceptable } from './http.js'
import type { FhirContext } from './interactions/context.js'
import { toOutcome } from './outcome.js'
import { GatewayError } from '../errors.js'
import { bundleRoute } from './routes/bundle.js'
import { capabilitiesRoute } from './routes/capabilities.js'
import { createRoute } from './routes/create.js'
import { deleteRoute } from './routes/delete.js'
import type { FhirRouteDeps } from './routes/deps.js'
import type { BatchSettings } from '../store/batch-while-busy.js'
import type { AuditTrail } from '../audit/audit-trail.js'
import { createInsertBatcher } from '../store/insert-batcher.js'
import { createReadBatcher } from '../store/read-batcher.js'
import { historyRoutes } from './routes/history.js'
import { notAllowedRoutes } from './routes/not-allowed.js'
import { patchRoute } from './routes/patch.js'
import { readRoutes } from './routes/read.js'
import { FHIR_JSON } from './routes/reply.js'
import { searchRoutes } from './routes/search.js'
import { terminologyRoutes, TERMINOLOGY_OPERATIONS } from './routes/terminology.js'
import { updateRoutes } from './routes/update.js'
import { evaluateMeasureRoutes, MEASURE_OPERATIONS } from './routes/evaluate-measure.js'
import type { ImdLookup } from '../dashboard/imd-lookup.js'
import { transformRoutes, TRANSFORM_OPERATIONS } from './routes/transform.js'
import { createRegistry, type MappingRegistry } from '../mapping/registry.js'

export interface FhirPluginOptions {
  readonly db: Database
  readonly ctx: FhirContext
  readonly fhirBaseUrl: string
  readonly historyPageSize: number
  readonly softwareVersion: string
  /** How plain creates and reads share statements under load. */
  readonly batching: BatchSettings
  readonly imdLookup: ImdLookup
  /** The token endpoint, advertised in the CapabilityStatement; absent when authentication is off. */
  readonly tokenUrl?: string
  readonly audit: AuditTrail
  /** The mappings StructureMap/$transform runs. */
  readonly mappings?: MappingRegistry
}

export async function fhirPlugin (app: FastifyInstance, options: FhirPluginOptions): Promise<void> {
  const { ctx } = options
  const deps: FhirRouteDeps = {
    db: options.db,
    ctx,
    insertNew: createInsertBatcher(options.db, options.batching),
    readCurrent: createReadBatcher(options.db, options.batching),
    fhirBaseUrl: options.fhirBaseUrl,
    historyPageSize: options.historyPageSize,
    imdLookup: options.imdLookup,
    audit: options.audit,
    capabilityStatement: buildCapabilityStatement({
      fhirBaseUrl: options.fhirBaseUrl,
      softwareVersion: options.softwareVersion,
      profiles: ctx.validator.profiles,
      registry: ctx.search.registry,
      operations: { ...TERMINOLOGY_OPERATIONS, ...MEASURE_OPERATIONS, ...TRANSFORM_OPERATIONS },
      startedAt: new Date().toISOString(),
      ...(options.tokenUrl === undefined ? {} : { tokenUrl: options.tokenUrl })
    })
  }

  // Only JSON in; XML and anything else is 415 from Fastify's media-type check.
  app.removeAllContentTypeParsers()
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.addContentTypeParser(['application/fhir+json', 'application/json', 'application/json-patch+json'], { parseAs: 'string' }, parseJson)
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, new URLSearchParams(body as string))
  })

  // Callback style: it runs on every request, and an async hook costs a promise each time.
  app.addHook('onRequest', (request, _reply, done) => {
    const format = (request.query as Record<string, unknown> | undefined)?._format
    try {
      checkAcceptable(request.headers.accept, typeof format === 'string' ? format : undefined)
      done()
    } catch (err) {
      done(err as Error)
    }
  })

  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    const { status, outcome, category } = toOutcome(err, request.id)
    if (status >= 500) request.log.error({ err }, 'request failed')
    else request.log.info({ category, statusCode: status }, 'request rejected')
    return await reply.code(status).type(FHIR_JSON).send(outcome)
  })

  app.setNotFoundHandler(async () => {
    throw new GatewayError('not-found', 'No FHIR endpoint at this path')
  })

  capabilitiesRoute(app, deps)
  terminologyRoutes(app, deps)
  evaluateMeasureRoutes(app, deps)
  // A child context: its text/csv parser (CSV mappings' payloads) must not reach the other routes.
  const mappings = options.mappings ?? createRegistry([])
  await app.register(async (scoped) => { transformRoutes(scoped, mappings) })
  bundleRoute(app, deps)
  searchRoutes(app, deps)
  createRoute(app, deps)
  readRoutes(app, deps)
  updateRoutes(app, deps)
  patchRoute(app, deps)
  deleteRoute(app, deps)
  historyRoutes(app, deps)
  notAllowedRoutes(app)
}
