/**
 * Writes the gateway's conformance resources to profiles/ as JSON, one file per resource:
 * CodeSystems, ValueSets, StructureDefinitions (with generated snapshots), SearchParameters and
 * Questionnaires. Run after changing anything under tools/profiles or the instrument catalogue
 * (npm run profiles, or):
 *   node --import tsx tools/profiles/build.ts [outDir]
 * test/terminology/conformance-files.test.ts fails while the committed files are stale.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { conformanceResources } from './resources.js'

const outDir = process.argv[2] ?? 'profiles'
await mkdir(outDir, { recursive: true })
for (const resource of conformanceResources()) {
  await writeFile(join(outDir, `${resource.resourceType}-${resource.id ?? ''}.json`), JSON.stringify(resource, null, 2) + '\n')
}
