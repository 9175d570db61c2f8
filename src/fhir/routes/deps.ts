/** What every FHIR route is given by the FHIR plugin. */
import type { CapabilityStatement } from '@medplum/fhirtypes'
import type { Database } from '../../store/database.js'
import type { FhirContext } from '../interactions/context.js'
import type { InsertNewWith } from '../../store/insert-batcher.js'
import type { AuditTrail } from '../../audit/audit-trail.js'
import type { ReadCurrent } from '../interactions/read.js'
import type { ImdLookup } from '../../dashboard/imd-lookup.js'

export interface FhirRouteDeps {
  readonly db: Database
  readonly ctx: FhirContext
  /** Plain creates outside a transaction: group-committed with concurrent ones. */
  readonly insertNew: InsertNewWith
  /** Plain reads by id outside a transaction: batched with concurrent ones. */
  readonly readCurrent: ReadCurrent
  readonly fhirBaseUrl: string
  readonly historyPageSize: number
  readonly capabilityStatement: CapabilityStatement
  /** Where writes put their AuditEvent (reads and failures are audited by the audit plugin). */
  readonly audit: AuditTrail
  /** Postcode → IMD decile, for the dashboard's deprivation figures. */
  readonly imdLookup: ImdLookup
}

export interface TypeParams { type: string }
export interface InstanceParams { type: string, id: string }
export interface VersionParams { type: string, id: string, vid: string }
