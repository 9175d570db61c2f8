/** What every FHIR route is given by the FHIR plugin. */
import type { CapabilityStatement } from '@medplum/fhirtypes'
import type { Database } from '../../store/database.js'
import type { FhirContext } from '../interactions/context.js'
import type { InsertNewResource } from '../interactions/create.js'
import type { ReadCurrent } from '../interactions/read.js'
import type { ImdLookup } from '../../dashboard/imd-lookup.js'

export interface FhirRouteDeps {
  readonly db: Database
  readonly ctx: FhirContext
  /** Plain creates outside a transaction: group-committed with concurrent ones. */
  readonly insertNew: InsertNewResource
  /** Plain reads by id outside a transaction: batched with concurrent ones. */
  readonly readCurrent: ReadCurrent
  readonly fhirBaseUrl: string
  readonly historyPageSize: number
  readonly capabilityStatement: CapabilityStatement
  /** Postcode → IMD decile, for the dashboard's deprivation figures. */
  readonly imdLookup: ImdLookup
}

export interface TypeParams { type: string }
export interface InstanceParams { type: string, id: string }
export interface VersionParams { type: string, id: string, vid: string }
