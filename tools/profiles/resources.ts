/** Every conformance resource the gateway publishes, in the order they are written. */
import type { Resource } from '@medplum/fhirtypes'
import { measures } from './measures.js'
import { profileDefinitions } from './profiles.js'
import { questionnaires } from './questionnaires.js'
import { searchParameters } from './search-parameters.js'
import { buildProfile } from './snapshot.js'
import { codeSystems, valueSets } from './terminology.js'

export function conformanceResources (): Resource[] {
  return [...codeSystems(), ...valueSets(), ...profileDefinitions().map(buildProfile), ...searchParameters(), ...questionnaires(), ...measures()]
}
