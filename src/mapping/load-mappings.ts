/**
 * Loads and compiles every mapping folder under the mappings directory at start: mapping.json,
 * the FML files, the JSON Schema, the ConceptMaps and the steps. Anything broken throws a
 * MappingLoadError naming the file (and the line, for FML), and the gateway does not start.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import type { ConceptMap, StructureMap } from '@medplum/fhirtypes'
import { loadBaseDefinitions } from '../fhir/validation/base-definitions.js'
import type { Terminology } from '../terminology/terminology.js'
import type { StepCall } from './apply-steps.js'
import { checkDependents, parseMapFile, type ParsedMapFile } from './fml.js'
import { parsePointer } from './json-pointer.js'
import { precompile } from './precompile.js'
import { checkManifest, type MappingManifest, type StepCallJson } from './manifest.js'
import { MappingLoadError } from './mapping-error.js'
import { compilePayloadSchema } from './payload-schema.js'
import { createRegistry, type LoadedMapping, type MappingRegistry } from './registry.js'
import { buildRuleIndex } from './rule-index.js'
import { STEPS } from './steps/index.js'
import type { StepEnvironment } from './steps/step.js'

export interface LoadOptions {
  readonly terminology: Terminology
  /** Base of the StructureMap urls' canonical form in messages; paths are shown relative to it. */
  readonly cwd?: string
}

/** Every folder with a mapping.json; other folders and files are ignored. */
export async function loadMappings (dir: string, options: LoadOptions): Promise<MappingRegistry> {
  loadBaseDefinitions()
  let entries: string[]
  try {
    entries = (await readdir(dir, { withFileTypes: true })).filter(e => e.isDirectory()).map(e => e.name).sort()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return createRegistry([])
    throw err
  }
  const mappings: LoadedMapping[] = []
  for (const name of entries) {
    const folder = join(dir, name)
    const files = await readdir(folder)
    if (!files.includes('mapping.json')) continue
    mappings.push(await loadMapping(folder, files, options))
  }
  const urls = new Map<string, string>()
  for (const m of mappings) {
    const other = urls.get(m.structureMap.url as string)
    if (other !== undefined) throw new MappingLoadError(`${m.dir}: map url ${m.structureMap.url} is also used by ${other}`)
    urls.set(m.structureMap.url as string, m.dir)
  }
  return createRegistry(mappings)
}

export async function loadMapping (folder: string, files: readonly string[], options: LoadOptions): Promise<LoadedMapping> {
  const show = (file: string): string => relative(options.cwd ?? process.cwd(), join(folder, file))
  const manifest = await readManifest(folder, show('mapping.json'))
  const folderName = folder.split(/[\\/]/).filter(s => s !== '').pop()
  if (manifest.name !== folderName) throw new MappingLoadError(`${show('mapping.json')}: name ${manifest.name} must be the folder name ${String(folderName)}`)
  if (!files.includes(manifest.map)) throw new MappingLoadError(`${show('mapping.json')}: map file ${manifest.map} is not in the folder`)

  const maps: ParsedMapFile[] = []
  for (const file of files.filter(f => f.endsWith('.map')).sort()) {
    maps.push(parseMapFile(show(file), await readFile(join(folder, file), 'utf8')))
  }
  checkDependents(maps)
  const entry = maps.find(m => m.file === show(manifest.map)) as ParsedMapFile

  const conceptMaps: ConceptMap[] = []
  for (const file of files.filter(f => f.endsWith('.conceptmap.json')).sort()) {
    const json = await readJson(folder, file, show(file)) as ConceptMap
    if (json.resourceType !== 'ConceptMap' || typeof json.url !== 'string') throw new MappingLoadError(`${show(file)}: not a ConceptMap with a url`)
    if ((json.group?.length ?? 0) !== 1) throw new MappingLoadError(`${show(file)}: needs exactly one group (the engine's translate() reads the first only)`)
    // Served from the FHIR API under a stable id: the mapping's name and the file's.
    conceptMaps.push({ ...json, id: json.id ?? `${manifest.name}-${file.replace(/\.conceptmap\.json$/, '')}` })
  }
  const env: StepEnvironment = { conceptMaps: new Map(conceptMaps.map(c => [c.url as string, c])), terminology: options.terminology }

  let validatePayload
  if (manifest.schema !== undefined) {
    const schema = await readJson(folder, manifest.schema, show(manifest.schema))
    try {
      validatePayload = compilePayloadSchema(schema)
    } catch (err) {
      throw new MappingLoadError(`${show(manifest.schema)}: ${(err as Error).message}`)
    }
  } else if (manifest.direction === 'inbound') {
    throw new MappingLoadError(`${show('mapping.json')}: an inbound mapping needs a schema for its payload`)
  }

  const pre = stepCalls(manifest.pre ?? [], env, `${show('mapping.json')} pre`)
  const post = stepCalls(manifest.post ?? [], env, `${show('mapping.json')} post`)
  const missing = [...pre, ...post].map(call => call.step.missing?.(call.options, env)).filter(m => m !== undefined)

  const structureMap: StructureMap = {
    ...entry.structureMap,
    id: manifest.name,
    version: manifest.version,
    title: manifest.title,
    ...(manifest.description === undefined ? {} : { description: manifest.description })
  }
  return {
    name: manifest.name,
    version: manifest.version,
    title: manifest.title,
    description: manifest.description,
    format: manifest.format,
    direction: manifest.direction,
    maxBytes: manifest.maxBytes,
    dir: folder,
    structureMap,
    executable: precompile(structureMap),
    transformMaps: [...maps.filter(m => m !== entry).map(m => precompile(m.structureMap)), ...conceptMaps],
    conceptMaps,
    validatePayload,
    pre,
    post,
    rules: buildRuleIndex(maps),
    env,
    unavailable: missing.length === 0 ? undefined : missing.join('; ')
  }
}

function stepCalls (calls: readonly StepCallJson[], env: StepEnvironment, where: string): StepCall[] {
  return calls.map((call, index) => {
    const at = `${where}[${index}]`
    const step = STEPS.get(call.step)
    if (step === undefined) throw new MappingLoadError(`${at}: no step named ${call.step} (known: ${[...STEPS.keys()].join(', ')})`)
    const { step: _name, at: pointers, ...options } = call
    if (step.scope === 'value' && (pointers === undefined || pointers.length === 0)) throw new MappingLoadError(`${at}: step ${call.step} needs "at", the fields it applies to`)
    if (step.scope === 'document' && pointers !== undefined) throw new MappingLoadError(`${at}: step ${call.step} applies to the whole document and takes no "at"`)
    for (const pointer of pointers ?? []) {
      try { parsePointer(pointer) } catch (err) { throw new MappingLoadError(`${at}: ${(err as Error).message}`) }
    }
    const problem = step.checkOptions(options, env)
    if (problem !== undefined) throw new MappingLoadError(`${at}: step ${call.step}: ${problem}`)
    return { step, at: pointers ?? [], options }
  })
}

async function readManifest (folder: string, shown: string): Promise<MappingManifest> {
  const checked = checkManifest(await readJson(folder, 'mapping.json', shown))
  if ('problems' in checked) throw new MappingLoadError(`${shown}: ${checked.problems.join('; ')}`)
  return checked.manifest
}

async function readJson (folder: string, file: string, shown: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(join(folder, file), 'utf8')
  } catch {
    throw new MappingLoadError(`${shown}: cannot be read`)
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new MappingLoadError(`${shown}: ${(err as Error).message}`)
  }
}
