/**
 * The profiles this server holds: StructureDefinition JSON files under profiles/, read once at
 * start. A resource that claims one in meta.profile is validated against it (which covers the base
 * definition too; see validator.ts), with its parsed schema kept after first use (profile-schemas.ts).
 */
import { indexStructureDefinitionBundle } from '@medplum/core'
import type { StructureDefinition } from '@medplum/fhirtypes'
import { ProfileLoadError, readConformanceFiles, type ConformanceFile } from './conformance-files.js'

export { ProfileLoadError } from './conformance-files.js'

export async function loadProfiles (dir: string): Promise<Map<string, StructureDefinition>> {
  return profilesFrom(await readConformanceFiles(dir))
}

/** The profiles among conformance files already read (start-up reads the folder once). */
export function profilesFrom (files: readonly ConformanceFile[]): Map<string, StructureDefinition> {
  const profiles = new Map<string, StructureDefinition>()
  for (const { path, resource } of files) {
    if (resource.resourceType !== 'StructureDefinition') continue
    if (resource.url === undefined || resource.snapshot?.element === undefined) {
      throw new ProfileLoadError(`${path}: a profile needs a url and a snapshot`)
    }
    indexStructureDefinitionBundle([resource])
    profiles.set(resource.url, resource)
  }
  return profiles
}
