/** SearchParameter resources under profiles/, read once at start and added to the registry. */
import type { SearchParameter } from '@medplum/fhirtypes'
import { ProfileLoadError, readConformanceFiles, type ConformanceFile } from './conformance-files.js'

export async function loadSearchParameters (dir: string): Promise<SearchParameter[]> {
  return searchParametersFrom(await readConformanceFiles(dir))
}

/** The SearchParameters among conformance files already read (start-up reads the folder once). */
export function searchParametersFrom (files: readonly ConformanceFile[]): SearchParameter[] {
  const found: SearchParameter[] = []
  for (const { path, resource } of files) {
    if (resource.resourceType !== 'SearchParameter') continue
    if (resource.code === undefined || resource.base === undefined || resource.type === undefined || (resource.expression === undefined && resource.type !== 'special')) {
      throw new ProfileLoadError(`${path}: a SearchParameter needs code, base, type and expression`)
    }
    found.push(resource)
  }
  return found
}
