/**
 * The profiles this server holds: StructureDefinition JSON files under profiles/, read once at
 * start. A resource that claims one in meta.profile is validated against it as well as the base.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { indexStructureDefinitionBundle } from '@medplum/core'
import type { Resource, StructureDefinition } from '@medplum/fhirtypes'

export class ProfileLoadError extends Error {
  override readonly name = 'ProfileLoadError'
}

export async function loadProfiles (dir: string): Promise<Map<string, StructureDefinition>> {
  const profiles = new Map<string, StructureDefinition>()
  let files: string[]
  try {
    files = (await readdir(dir)).filter(f => f.endsWith('.json')).sort()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return profiles
    throw err
  }
  for (const file of files) {
    const path = join(dir, file)
    let resource: Resource
    try {
      resource = JSON.parse(await readFile(path, 'utf8')) as Resource
    } catch (err) {
      throw new ProfileLoadError(`${path}: not valid JSON (${(err as Error).message})`)
    }
    if (resource.resourceType !== 'StructureDefinition') continue
    if (resource.url === undefined || resource.snapshot?.element === undefined) {
      throw new ProfileLoadError(`${path}: a profile needs a url and a snapshot`)
    }
    indexStructureDefinitionBundle([resource])
    profiles.set(resource.url, resource)
  }
  return profiles
}
