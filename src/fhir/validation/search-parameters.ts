/** SearchParameter resources under profiles/, read once at start and added to the registry. */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Resource, SearchParameter } from '@medplum/fhirtypes'
import { ProfileLoadError } from './profiles.js'

export async function loadSearchParameters (dir: string): Promise<SearchParameter[]> {
  let files: string[]
  try {
    files = (await readdir(dir)).filter(f => f.endsWith('.json')).sort()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const found: SearchParameter[] = []
  for (const file of files) {
    const path = join(dir, file)
    let resource: Resource
    try {
      resource = JSON.parse(await readFile(path, 'utf8')) as Resource
    } catch (err) {
      throw new ProfileLoadError(`${path}: not valid JSON (${(err as Error).message})`)
    }
    if (resource.resourceType !== 'SearchParameter') continue
    if (resource.code === undefined || resource.base === undefined || resource.type === undefined || (resource.expression === undefined && resource.type !== 'special')) {
      throw new ProfileLoadError(`${path}: a SearchParameter needs code, base, type and expression`)
    }
    found.push(resource)
  }
  return found
}
