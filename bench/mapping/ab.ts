/**
 * Same-process A/B of pack 1 in-process work for two source trees (e.g. a clean clone of the
 * base commit and this tree): both trees' modules are loaded into one process and timed
 * alternately, 9 rounds of 500 payloads, so machine noise hits both alike (the single-tree
 * in-process figure moved ±25% between identical runs on this machine).
 * Usage: node --import tsx bench/mapping/ab.ts <treeA> <treeB> [validate|map|both]
 */
import { pathToFileURL } from 'node:url'
import { resolve } from 'node:path'

const [treeA, treeB, mode = 'both'] = process.argv.slice(2)
if (treeA === undefined || treeB === undefined) throw new Error('usage: ab.ts <treeA> <treeB> [validate|map|both]')

interface Setup { readonly tree: string, readonly run: (n: number) => void, readonly samples: number[] }

async function setUp (tree: string): Promise<Setup> {
  const root = pathToFileURL(resolve(tree)).href
  const load = async (path: string): Promise<any> => await import(`${root}/${path}`)
  const { loadConfig } = await load('src/config.ts')
  const { createFhirContext } = await load('src/fhir/fhir-context.ts')
  const { readConformanceFiles } = await load('src/fhir/validation/conformance-files.ts')
  const { profilesFrom } = await load('src/fhir/validation/profiles.ts')
  const { searchParametersFrom } = await load('src/fhir/validation/search-parameters.ts')
  const { loadMappings } = await load('src/mapping/load-mappings.ts')
  const { runMapping } = await load('src/mapping/run-mapping.ts')
  const { gpReferralPayload } = await load('bench/mapping/payloads.ts')
  const { resourcesAsStored } = await load('bench/mapping/as-stored.ts')
  const config = loadConfig({ PROFILES_DIR: `${resolve(tree)}/profiles`, MAPPINGS_DIR: `${resolve(tree)}/mappings` })
  const files = await readConformanceFiles(config.profilesDir)
  const ctx = createFhirContext({ profiles: profilesFrom(files), searchParameters: searchParametersFrom(files), conformance: files.map((f: any) => f.resource), unknownProfile: 'reject', fhirBaseUrl: 'http://localhost/fhir', searchDefaultCount: 20, searchMaxCount: 1000 })
  const mapping = (await loadMappings(config.mappingsDir, { terminology: ctx.terminology })).get('gp-referral-json')
  const payloads = Array.from({ length: 300 }, () => gpReferralPayload())
  const mapped = payloads.map(p => resourcesAsStored(runMapping(mapping, p)))
  const run = (n: number): void => {
    for (let i = 0; i < n; i++) {
      if (mode === 'validate') for (const r of mapped[i % mapped.length]) ctx.validator.validate(r)
      else if (mode === 'map') runMapping(mapping, payloads[i % payloads.length])
      else for (const r of resourcesAsStored(runMapping(mapping, payloads[i % payloads.length]))) ctx.validator.validate(r)
    }
  }
  run(1500) // warm-up
  return { tree, run, samples: [] }
}

const setups = [await setUp(treeA), await setUp(treeB)]
for (let round = 0; round < 9; round++) {
  for (const setup of setups) {
    const started = performance.now()
    setup.run(500)
    setup.samples.push((performance.now() - started) / 500)
  }
}
for (const { tree, samples } of setups) {
  const sorted = [...samples].sort((a, b) => a - b)
  const median = sorted[4] as number
  console.log(`${mode.padEnd(8)} ${tree}: median ${median.toFixed(3)} ms per payload (${Math.round(1000 / median)}/s), min ${(sorted[0] as number).toFixed(3)}`)
}
