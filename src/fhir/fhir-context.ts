/**
 * Builds the FhirContext from the loaded definitions: the validator, the search registry (R4
 * parameters plus SearchParameters under profiles/), and the indexer derived from it.
 */
import type { Resource, SearchParameter, StructureDefinition } from '@medplum/fhirtypes'
import type { FhirContext } from './interactions/context.js'
import { SUPPORTED_RESOURCE_TYPES } from './resource-types.js'
import { extractIndexRows } from './search/extract.js'
import { buildElementCatalogue } from './search/projection.js'
import { buildSearchRegistry } from './search/registry.js'
import { baseResourceDefinitions, loadBaseDefinitions } from './validation/base-definitions.js'
import { buildRequiredBindingIndex, impliedCodeSystems } from './validation/required-bindings.js'
import { createValidator } from './validation/validator.js'
import { createDomainChecks } from './validation/domain-checks.js'
import { buildTerminology } from '../terminology/terminology.js'
import { createJourneyRules } from '../workflow/journey-rules.js'
import { questionnaireIndex } from '../workflow/questionnaire-scoring.js'
import { newResourceId } from './resource-ids.js'

export interface FhirContextOptions {
  readonly profiles: ReadonlyMap<string, StructureDefinition>
  readonly searchParameters: readonly SearchParameter[]
  readonly unknownProfile: 'reject' | 'warn'
  readonly fhirBaseUrl: string
  readonly searchDefaultCount: number
  readonly searchMaxCount: number
  readonly searchDefaultTotal?: 'none' | 'estimate' | 'accurate'
  /** The resources under profiles/: CodeSystems, ValueSets and Questionnaires are used from it. */
  readonly conformance?: readonly Resource[]
}

export function createFhirContext (options: FhirContextOptions): FhirContext {
  loadBaseDefinitions()
  const definitions = baseResourceDefinitions()
  const requiredBindings = buildRequiredBindingIndex(definitions, SUPPORTED_RESOURCE_TYPES)
  const terminology = buildTerminology(options.conformance ?? [])
  const domainChecks = createDomainChecks(terminology, options.profiles)
  const validator = createValidator({ profiles: options.profiles, unknownProfile: options.unknownProfile, requiredBindings, domainChecks })
  const registry = buildSearchRegistry(SUPPORTED_RESOURCE_TYPES, options.searchParameters)
  const impliedSystems = impliedCodeSystems(requiredBindings)
  return {
    validator,
    index: resource => extractIndexRows(registry, resource, { fhirBaseUrl: options.fhirBaseUrl, impliedSystems }),
    search: {
      registry,
      elements: buildElementCatalogue(definitions),
      fhirBaseUrl: options.fhirBaseUrl,
      defaultCount: options.searchDefaultCount,
      maxCount: options.searchMaxCount,
      defaultTotal: options.searchDefaultTotal ?? 'none'
    },
    terminology,
    rules: createJourneyRules(questionnaireIndex(options.conformance ?? [])),
    now: () => new Date(),
    newId: newResourceId
  }
}
