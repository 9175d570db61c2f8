/**
 * Reads the FHIR JSON files of a conformance folder (profiles/), once at start. A missing folder
 * holds nothing; a file that is not JSON stops start-up naming the file.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Resource } from '@medplum/fhirtypes'

export class ProfileLoadError extends Error {
  override readonly name = 'ProfileLoadError'
}

export interface ConformanceFile {
  readonly path: string
  readonly resource: Resource
}

export async function readConformanceFiles (dir: string): Promise<ConformanceFile[]> {
  let files: string[]
  try {
    files = (await readdir(dir)).filter(f => f.endsWith('.json')).sort()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const found: ConformanceFile[] = []
  for (const file of files) {
    const path = join(dir, file)
    try {
      found.push({ path, resource: JSON.parse(await readFile(path, 'utf8')) as Resource })
    } catch (err) {
      throw new ProfileLoadError(`${path}: not valid JSON (${(err as Error).message})`)
    }
  }
  return found
}
