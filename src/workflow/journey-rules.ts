/**
 * The referral journey's WriteRules: which rules run for which resource type. Every write path
 * (REST create, update and patch, transaction and batch entries) goes through create/update,
 * which call these hooks, so the rules hold whichever way a resource arrives.
 */
import type { Observation, QuestionnaireResponse, Resource, ServiceRequest, Task } from '@medplum/fhirtypes'
import type { WriteRules } from '../fhir/interactions/context.js'
import { beforeObservation } from './observation-rules.js'
import { afterReferral, beforeReferral, referralCreateReads } from './referral-rules.js'
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
  const before: Partial<Record<string, WriteRules['before']>> = {
    Task: async (ctx, q, next, previous) => await beforeTask(ctx, q, next as Task, previous() as Task | undefined),
    ServiceRequest: async (ctx, q, next, previous) => await beforeReferral(ctx, q, next as ServiceRequest, previous() as ServiceRequest | undefined),
    QuestionnaireResponse: async (_ctx, _q, next) => beforeQuestionnaireResponse(questionnaires, next as QuestionnaireResponse),
    Observation: async (ctx, q, next) => await beforeObservation(ctx, q, next as Observation)
  }
  const after: Partial<Record<string, WriteRules['after']>> = {
    Task: async (ctx, q, stored, previous) => { await afterTask(ctx, q, stored as Task, previous() as Task | undefined) },
    ServiceRequest: async (ctx, q, stored, previous) => { await afterReferral(ctx, q, stored as ServiceRequest, previous() as ServiceRequest | undefined) },
    QuestionnaireResponse: async (ctx, q, stored, previous) => { await afterQuestionnaireResponse(ctx, q, questionnaires, stored as QuestionnaireResponse, previous() as QuestionnaireResponse | undefined) }
  }
  // Where a type's rules touch others on create only sometimes; a type with rules and no entry
  // here always counts as touching. A new referral's rules read only its parent or the episode
  // it replaces; its after-rule acts on updates alone.
  const createTouches: Partial<Record<string, (created: Resource) => boolean>> = {
    ServiceRequest: created => referralCreateReads(created as ServiceRequest)
  }
  return {
    createNeedsTransaction: type => CREATE_WRITES_OTHERS.has(type),
    createTouchesOthers: resource => {
      const type = resource.resourceType
      if (before[type] === undefined && after[type] === undefined) return false
      return createTouches[type]?.(resource) ?? true
    },
    async before (ctx, q, next, previous) {
      return await (before[next.resourceType]?.(ctx, q, next, previous) ?? next)
    },
    async after (ctx, q, stored, previous) {
      await after[stored.resourceType]?.(ctx, q, stored, previous)
    }
  }
}

