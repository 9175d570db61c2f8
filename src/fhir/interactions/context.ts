/** What the framework-free FHIR interactions need: validation, indexing, search, a clock and ids. */
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes'
import type { Queryable } from '../../store/database.js'
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
  /** Rules that need the store (the referral journey, src/workflow/), run by create and update. */
  readonly rules?: WriteRules
}

/**
 * Hooks around a write, after validation. `before` may refuse the write (throw) or return the
 * resource to store instead (e.g. a Task rejected as ineligible); `after` may write other
 * resources in the same transaction. Both see the previous version lazily, so a type the rules
 * ignore costs nothing.
 */
export interface WriteRules {
  /** Whether creating this type may write others, so even a plain create needs a transaction. */
  createNeedsTransaction(type: string): boolean
  /**
   * Whether before or after may read or write anything else when this resource is created. When
   * they do not, a transaction may write the create later in the same transaction
   * (deferred-creates.ts).
   */
  createTouchesOthers(resource: Resource): boolean
  before(ctx: FhirContext, q: Queryable, next: Resource, previous: () => Resource | undefined): Promise<Resource>
  after(ctx: FhirContext, q: Queryable, stored: Resource, previous: () => Resource | undefined): Promise<void>
}

export interface WriteResult {
  /** 201 when the interaction created the resource, 200 otherwise. */
  readonly status: 200 | 201
  readonly version: StoredVersion
  /** Non-fatal validation findings (e.g. an unknown profile under UNKNOWN_PROFILE=warn). */
  readonly warnings: OperationOutcomeIssue[]
}
