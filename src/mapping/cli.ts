/**
 * The mapping command line (bin `sp-gateway`):
 *   sp-gateway map <mapping> <file>        prints the output for one payload (exit 1 if rejected)
 *   sp-gateway mappings:test [<mapping>…] [--update]
 *                                          runs every fixture, shows a diff per mismatch (exit 1);
 *                                          --update rewrites the expected files instead
 * MAPPINGS_DIR and PROFILES_DIR are read as the gateway reads them.
 */
import { loadConfig } from '../config.js'
import { readConformanceFiles } from '../fhir/validation/conformance-files.js'
import { buildTerminology } from '../terminology/terminology.js'
import { listFixtures, mapFile, runFixture } from './fixtures.js'
import { loadMappings } from './load-mappings.js'
import type { MappingRegistry } from './registry.js'

export async function main (args: readonly string[], out: (text: string) => void = console.log): Promise<number> {
  const [command, ...rest] = args
  const registry = await loadRegistry()
  if (command === 'map') {
    const [name, file] = rest
    if (name === undefined || file === undefined) return usage(out)
    const mapping = registry.get(name)
    if (mapping === undefined) {
      out(`No mapping ${name}; known: ${registry.mappings.map(m => m.name).join(', ')}`)
      return 2
    }
    const { ok, output } = await mapFile(mapping, file)
    out(JSON.stringify(output, null, 2))
    return ok ? 0 : 1
  }
  if (command === 'mappings:test') {
    const update = rest.includes('--update')
    const names = rest.filter(a => !a.startsWith('--'))
    const unknown = names.filter(n => registry.get(n) === undefined)
    if (unknown.length > 0) {
      out(`No mapping ${unknown.join(', ')}`)
      return 2
    }
    let failed = 0
    let total = 0
    for (const mapping of registry.mappings.filter(m => names.length === 0 || names.includes(m.name))) {
      for (const fixture of await listFixtures(mapping)) {
        total += 1
        const result = await runFixture(fixture, update)
        if (result.diff === undefined) {
          out(`ok   ${mapping.name}/${fixture.name}`)
        } else {
          failed += 1
          out(`FAIL ${mapping.name}/${fixture.name}\n${result.diff}\n`)
        }
      }
    }
    out(`${total - failed} of ${total} fixtures match${update ? ' (expected files rewritten)' : ''}`)
    return failed === 0 ? 0 : 1
  }
  return usage(out)
}

export async function loadRegistry (env: Record<string, string | undefined> = process.env): Promise<MappingRegistry> {
  const config = loadConfig(env)
  const files = await readConformanceFiles(config.profilesDir)
  return await loadMappings(config.mappingsDir, { terminology: buildTerminology(files.map(f => f.resource)) })
}

function usage (out: (text: string) => void): number {
  out('usage: sp-gateway map <mapping> <file> | sp-gateway mappings:test [<mapping>…] [--update]')
  return 2
}
