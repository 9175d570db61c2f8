/** What the framework-free FHIR interactions need: validation, a clock and an id source. */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes'
import type { StoredVersion } from '../../store/resources.js'
import type { Validator } from '../validation/validator.js'

export interface FhirContext {
  readonly validator: Validator
  /** Resource types whose R4 definition has an `identifier` element (searchable by identifier). */
  readonly typesWithIdentifier: ReadonlySet<string>
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
