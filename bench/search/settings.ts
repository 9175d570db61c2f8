/**
 * The gateway's search settings built in-process from the same configuration the gateway child
 * gets (profiles directory, base URL, defaults), so EXPLAIN runs the very SQL the routes run.
 */
import { loadConfig } from '../../src/config.js'
import { createFhirContext } from '../../src/fhir/fhir-context.js'
import type { SearchSettings } from '../../src/fhir/search/execute.js'
import { loadProfiles } from '../../src/fhir/validation/profiles.js'
import { loadSearchParameters } from '../../src/fhir/validation/search-parameters.js'

export async function gatewaySearchSettings (databaseUrl: string, profilesDir: string, base: string): Promise<SearchSettings> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, PROFILES_DIR: profilesDir, BASE_URL: new URL(base).origin })
  return createFhirContext({
    profiles: await loadProfiles(config.profilesDir),
    searchParameters: await loadSearchParameters(config.profilesDir),
    unknownProfile: config.unknownProfile,
    fhirBaseUrl: config.fhirBaseUrl,
    searchDefaultCount: config.searchDefaultCount,
    searchMaxCount: config.searchMaxCount,
    searchDefaultTotal: config.searchDefaultTotal
  }).search
}
