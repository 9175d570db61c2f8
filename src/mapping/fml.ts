/**
 * Parses one FHIR Mapping Language file with @medplum/core and checks, at load, what the engine
 * would otherwise only find on the first payload: transforms it does not implement, create() of
 * unknown types, dependent groups that do not exist. Every error names the file and the line.
 * Rules without a name get one (`<group>.<n>`), since StructureMap.group.rule.name is 1..1.
 */
import { parseMappingLanguage, tryGetDataType } from '@medplum/core'
import type { StructureMap, StructureMapGroupRule } from '@medplum/fhirtypes'
import { MappingLoadError } from './mapping-error.js'

/** The transforms @medplum/core's structureMapTransform implements (src/fhirmapper/transform.ts). */
export const SUPPORTED_TRANSFORMS = new Set(['append', 'cast', 'cc', 'copy', 'create', 'evaluate', 'translate', 'truncate', 'uuid'])

export interface ParsedMapFile {
  readonly file: string
  readonly text: string
  readonly structureMap: StructureMap
  /** Rule name → 1-based line in the file, where it could be found. */
  readonly ruleLines: ReadonlyMap<string, number>
}

export function parseMapFile (file: string, text: string): ParsedMapFile {
  let structureMap: StructureMap
  try {
    structureMap = parseMappingLanguage(text)
  } catch (err) {
    throw new MappingLoadError(`${file}: ${locateParseError(text, err)}`)
  }
  if (structureMap.url === undefined || structureMap.name === undefined) {
    throw new MappingLoadError(`${file} line 1: a map starts with map "<url>" = <name>`)
  }
  if ((structureMap.group ?? []).length === 0) throw new MappingLoadError(`${file}: the map has no group`)
  const ruleLines = new Map<string, number>()
  let searchFrom = 0
  for (const group of structureMap.group) {
    group.rule?.forEach((rule, index) => {
      searchFrom = nameRules(file, text, group.name, rule, `${group.name}.${index + 1}`, ruleLines, searchFrom)
    })
  }
  return { file, text, structureMap, ruleLines }
}

/** Checks that need every map of the folder: dependent groups may live in an imported map. */
export function checkDependents (maps: readonly ParsedMapFile[]): void {
  const groups = new Set(maps.flatMap(m => m.structureMap.group.map(g => g.name)))
  for (const map of maps) {
    for (const group of map.structureMap.group) {
      forEachRule(group.rule ?? [], (rule) => {
        for (const dependent of rule.dependent ?? []) {
          if (!groups.has(dependent.name)) throw new MappingLoadError(`${map.file} line ${map.ruleLines.get(rule.name) ?? '?'}: rule ${rule.name} calls group ${dependent.name}, which no map of this mapping defines`)
        }
      })
    }
  }
}

export function forEachRule (rules: readonly StructureMapGroupRule[], fn: (rule: StructureMapGroupRule) => void): void {
  for (const rule of rules) {
    fn(rule)
    forEachRule(rule.rule ?? [], fn)
  }
}

function nameRules (file: string, text: string, group: string, rule: StructureMapGroupRule, fallback: string, lines: Map<string, number>, searchFrom: number): number {
  const explicit = rule.name !== undefined && text.includes(`"${rule.name}"`)
  // medplum names an unnamed rule after its source element, which need not be unique or an id.
  if (!explicit) rule.name = fallback
  const at = explicit ? text.indexOf(`"${rule.name}"`) : sourceOffset(text, rule, searchFrom)
  const line = at < 0 ? undefined : lineAt(text, at)
  if (line !== undefined) lines.set(rule.name as string, line)
  const where = `${file} line ${line ?? '?'} (rule ${rule.name} in group ${group})`
  for (const target of rule.target ?? []) {
    if (target.transform !== undefined && !SUPPORTED_TRANSFORMS.has(target.transform)) {
      throw new MappingLoadError(`${where}: transform ${target.transform}() is not supported by the engine (supported: ${[...SUPPORTED_TRANSFORMS].join(', ')}); use a step in mapping.json`)
    }
    if (target.transform === 'create') {
      const type = target.parameter?.[0]?.valueString ?? target.parameter?.[0]?.valueId
      if (type !== undefined && target.parameter?.[0]?.valueString !== undefined && tryGetDataType(type) === undefined) {
        throw new MappingLoadError(`${where}: create('${type}') names no FHIR R4 type`)
      }
    }
  }
  let next = at < 0 ? searchFrom : at + 1
  rule.rule?.forEach((child, index) => {
    next = nameRules(file, text, group, child, `${rule.name as string}.${index + 1}`, lines, next)
  })
  return next
}

/** Where an unnamed rule starts: its first source, searched from the previous rule on. */
function sourceOffset (text: string, rule: StructureMapGroupRule, from: number): number {
  const source = rule.source?.[0]
  if (source === undefined) return -1
  const needle = source.element === undefined ? source.context : `${source.context}.${source.element}`
  const at = text.indexOf(needle, from)
  return at >= 0 ? at : text.indexOf(needle)
}

function lineAt (text: string, offset: number): number {
  let line = 1
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

/** medplum's lexer says "line L column C" for most errors; others name only the token. */
function locateParseError (text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  const located = /line (\d+),? column (\d+)/.exec(message)
  if (located !== null) return `line ${located[1]}, column ${located[2]}: ${message}`
  const token = /Unexpected token: (\S+)/.exec(message)?.[1]
  if (token !== undefined) {
    const at = text.search(new RegExp(`(^|\\s)${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`, 'm'))
    if (at >= 0) return `line ${lineAt(text, at + 1)}: ${message}`
  }
  return message
}
