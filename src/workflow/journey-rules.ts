/**
 * The referral journey's WriteRules: which rules run for which resource type. Every write path
 * (REST create, update and patch, transaction and batch entries) goes through create/update,
 * which call these hooks, so the rules hold whichever way a resource arrives.
 */
import type { Observation, QuestionnaireResponse, ServiceRequest, Task } from '@medplum/fhirtypes'
import type { WriteRules } from '../fhir/interactions/context.js'
import { beforeObservation } from './observation-rules.js'
import { afterReferral, beforeReferral } from './referral-rules.js'
import { afterTask, beforeTask } from './task-rules.js'
import { afterQuestionnaireResponse, beforeQuestionnaireResponse, type QuestionnaireIndex } from './questionnaire-scoring.js'

/**
 * Types whose creation may write other resources: a Task can complete or revoke its referral, a
 * completed QuestionnaireResponse is scored into Observations. A new ServiceRequest only reads
 * (its parent or the episode it replaces), as does an Observation (the referral it is basedOn);
 * the ServiceRequest's after-rule acts on updates alone.
 */
const CREATE_WRITES_OTHERS = new Set(['Task', 'QuestionnaireResponse'])

export function createJourneyRules (questionnaires: QuestionnaireIndex): WriteRules {
  return {
    createNeedsTransaction: type => CREATE_WRITES_OTHERS.has(type),
    async before (ctx, q, next, previous) {
      switch (next.resourceType) {
        case 'Task': return await beforeTask(ctx, q, next, previous() as Task | undefined)
        case 'ServiceRequest': return await beforeReferral(ctx, q, next, previous() as ServiceRequest | undefined)
        case 'QuestionnaireResponse': return beforeQuestionnaireResponse(questionnaires, next)
        case 'Observation': return await beforeObservation(ctx, q, next as Observation)
        default: return next
      }
    },
    async after (ctx, q, stored, previous) {
      switch (stored.resourceType) {
        case 'Task': await afterTask(ctx, q, stored, previous() as Task | undefined); break
        case 'ServiceRequest': await afterReferral(ctx, q, stored, previous() as ServiceRequest | undefined); break
        case 'QuestionnaireResponse': await afterQuestionnaireResponse(ctx, q, questionnaires, stored, previous() as QuestionnaireResponse | undefined); break
        default: break
      }
    }
  }
}

