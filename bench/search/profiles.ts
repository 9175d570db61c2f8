/**
 * The profiles directory the seeder and the gateway both load: the project's profiles/ plus the
 * bench's own SearchParameters (bench/search/profiles/). R4 has no reason parameter on
 * ServiceRequest, and "a PCN's referrals by reason" needs one; both processes must see it, or
 * the seeded rows would not be indexed for it. A temporary copy keeps profiles/ untouched.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PROJECT_PROFILES = fileURLToPath(new URL('../../profiles/', import.meta.url))
const BENCH_PROFILES = fileURLToPath(new URL('./profiles/', import.meta.url))

export interface ProfilesDir {
  readonly path: string
  readonly benchFiles: readonly string[]
  remove(): void
}

export function mergedProfilesDir (): ProfilesDir {
  const path = mkdtempSync(join(tmpdir(), 'sp-search-profiles-'))
  if (existsSync(PROJECT_PROFILES)) cpSync(PROJECT_PROFILES, path, { recursive: true })
  const benchFiles = readdirSync(BENCH_PROFILES).filter(f => f.endsWith('.json'))
  for (const file of benchFiles) {
    if (existsSync(join(path, file))) throw new Error(`profiles/${file} exists already; rename the bench's copy`)
    cpSync(join(BENCH_PROFILES, file), join(path, file))
  }
  return { path, benchFiles, remove: () => { rmSync(path, { recursive: true, force: true }) } }
}
