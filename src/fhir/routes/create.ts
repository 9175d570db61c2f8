/** POST [type], with optional If-None-Exist: https://hl7.org/fhir/R4/http.html#create */
import type { FastifyInstance } from 'fastify'
import { conditionalCreate, createResource, insertThrough } from '../interactions/create.js'
import { asResourceOfType } from '../interactions/stamp.js'
import { auditedInsert, auditedTransaction } from './audited.js'
import type { FhirRouteDeps, TypeParams } from './deps.js'
import { requireSupportedType, sendVersion } from './reply.js'
import { requestContextOf } from './request-context-of.js'
import { accessOf } from '../../auth/access-policy.js'

export function createRoute (app: FastifyInstance, deps: FhirRouteDeps): void {
  app.post<{ Params: TypeParams }>('/:type', async (request, reply) => {
    const { type } = request.params
    requireSupportedType(type)
    const resource = asResourceOfType(request.body, type)
    const ifNoneExist = request.headers['if-none-exist']
    // A plain create is one INSERT, committed on its own (batched with concurrent creates under
    // load). A conditional one needs a transaction so the search and the insert share a lock,
    // and so does one whose journey rules write other resources (a scored QuestionnaireResponse,
    // a referral Task).
    // So does a restricted caller's: the new row is checked against its access before commit.
    const context = requestContextOf(request)
    const result = typeof ifNoneExist === 'string' || deps.ctx.rules?.createNeedsTransaction(type) === true || accessOf(request.caller) !== undefined
      ? await auditedTransaction(deps, request, async tx => typeof ifNoneExist === 'string'
        ? await conditionalCreate(deps.ctx, tx, resource, ifNoneExist, undefined, context)
        : await createResource(deps.ctx, tx, resource, undefined, insertThrough(tx), context), result => result)
      : await createResource(deps.ctx, deps.db, resource, undefined, auditedInsert(deps, request))
    return sendVersion(request, reply, result.status, result.version, deps.fhirBaseUrl, result.warnings)
  })
}
