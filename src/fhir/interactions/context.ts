/** What the framework-free FHIR interactions need: validation, indexing, search, a clock and ids. */
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes'
import type { IndexRows } from '../../store/index-rows.js'
import type { StoredVersion } from '../../store/resources.js'
import type { SearchSettings } from '../search/execute.js'
import type { Validator } from '../validation/validator.js'
import type { Terminology } from '../../terminology/terminology.js'

export interface FhirContext {
  readonly validator: Validator
  /** The search index rows of a resource as it will be stored. */
  readonly index: (resource: Resource) => IndexRows
  readonly search: SearchSettings
  /** CodeSystems and ValueSets held under profiles/. */
  readonly terminology: Terminology
  readonly now: () => Date
  readonly newId: () => string
}

export interface WriteResult {
  /** 201 when the interaction created the resource, 200 otherwise. */
  readonly status: 200 | 201
  readonly version: StoredVersion
  /** Non-fatal validation findings (e.g. an unknown profile under UNKNOWN_PROFILE=warn). */
  readonly warnings: OperationOutcomeIssue[]
}
