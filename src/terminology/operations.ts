/**
 * The terminology operations over the held CodeSystems and ValueSets:
 * ValueSet/$expand, CodeSystem/$lookup and ValueSet|CodeSystem/$validate-code
 * (https://hl7.org/fhir/R4/terminology-service.html). Inputs arrive as plain name → values maps,
 * whether the client sent a query string or a Parameters body.
 */
import type { CodeableConcept, Coding, Parameters, ParametersParameter, ValueSet } from '@medplum/fhirtypes'
import { GatewayError } from '../errors.js'
import { containsOf, type Concept, type ExpandedValueSet, type Terminology } from './terminology.js'

export type OperationInput = ReadonlyMap<string, ReadonlyArray<string | Coding | CodeableConcept>>

const first = (input: OperationInput, name: string): string | undefined => {
  const value = input.get(name)?.[0]
  return typeof value === 'string' ? value : undefined
}

function wholeNumber (input: OperationInput, name: string, fallback: number): number {
  const raw = first(input, name)
  if (raw === undefined) return fallback
  if (!/^\d{1,6}$/.test(raw)) throw new GatewayError('invalid', `Parameter "${name}" must be a non-negative integer`, { expression: name })
  return Number(raw)
}

function requireValueSet (terminology: Terminology, input: OperationInput, id?: string): ExpandedValueSet {
  const url = first(input, 'url')
  const found = id !== undefined
    ? [...terminology.valueSets.values()].find(vs => vs.valueSet.id === id)
    : url === undefined ? undefined : terminology.valueSet(url)
  if (id === undefined && url === undefined) throw new GatewayError('invalid', 'Name the value set with the "url" parameter', { expression: 'url' })
  if (found === undefined) throw new GatewayError('not-found', `ValueSet ${id ?? url ?? ''} is not held by this server`, { expression: id === undefined ? 'url' : 'id' })
  return found
}

export function expandValueSet (terminology: Terminology, input: OperationInput, id?: string): ValueSet {
  const { valueSet, concepts } = requireValueSet(terminology, input, id)
  const filter = first(input, 'filter')?.toLowerCase()
  const offset = wholeNumber(input, 'offset', 0)
  const count = wholeNumber(input, 'count', 1000)
  const matching = filter === undefined || filter === ''
    ? concepts
    : concepts.filter(c => c.code.toLowerCase().includes(filter) || (c.display ?? '').toLowerCase().includes(filter))
  const parameter = [
    ...(filter === undefined ? [] : [{ name: 'filter', valueString: filter }]),
    { name: 'offset', valueInteger: offset },
    { name: 'count', valueInteger: count }
  ]
  const { compose: _compose, ...rest } = valueSet
  return {
    ...rest,
    expansion: {
      timestamp: new Date().toISOString(),
      total: matching.length,
      offset,
      parameter,
      contains: containsOf(matching.slice(offset, offset + count))
    }
  }
}

export function lookupCode (terminology: Terminology, input: OperationInput): Parameters {
  const { system, code } = codingOf(input, true)
  const codeSystem = terminology.codeSystems.get(system as string)
  if (codeSystem === undefined) throw new GatewayError('not-found', `CodeSystem ${system ?? ''} is not held by this server`, { expression: 'system' })
  const concept = terminology.lookup(system as string, code)
  if (concept === undefined) throw new GatewayError('not-found', `Code "${code}" is not defined in CodeSystem ${system ?? ''}`, { expression: 'code' })
  const definition = findDefinition(codeSystem.concept, code)
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'name', valueString: codeSystem.name ?? codeSystem.title ?? system },
      ...(codeSystem.version === undefined ? [] : [{ name: 'version', valueString: codeSystem.version }]),
      ...(concept.display === undefined ? [] : [{ name: 'display', valueString: concept.display }]),
      ...(definition === undefined ? [] : [{ name: 'definition', valueString: definition }])
    ]
  }
}

/** ValueSet/$validate-code (id or url names the set) and CodeSystem/$validate-code (system). */
export function validateCode (terminology: Terminology, input: OperationInput, scope: 'ValueSet' | 'CodeSystem', id?: string): Parameters {
  const candidates = candidateCodings(input, scope === 'ValueSet')
  const display = first(input, 'display')
  let found: Concept | undefined
  let where: string
  if (scope === 'ValueSet') {
    const expanded = requireValueSet(terminology, input, id)
    where = `value set ${expanded.valueSet.url ?? ''}`
    found = candidates.map(c => c.system === undefined ? undefined : expanded.index.get(c.system)?.get(c.code)).find(c => c !== undefined)
  } else {
    const system = first(input, 'url') ?? first(input, 'system') ?? candidates[0]?.system
    const codeSystem = system === undefined ? undefined : terminology.codeSystems.get(system)
    if (codeSystem === undefined) throw new GatewayError('not-found', `CodeSystem ${system ?? ''} is not held by this server`, { expression: 'url' })
    where = `CodeSystem ${system as string}`
    found = candidates.map(c => terminology.lookup(system as string, c.code)).find(c => c !== undefined)
  }
  const parameter: ParametersParameter[] = []
  if (found === undefined) {
    const named = candidates.map(c => `${c.system ?? ''}|${c.code}`).join(', ')
    parameter.push({ name: 'result', valueBoolean: false }, { name: 'message', valueString: `${named} is not in the ${where}` })
  } else if (display !== undefined && found.display !== undefined && display !== found.display) {
    parameter.push({ name: 'result', valueBoolean: false }, { name: 'message', valueString: `The display for ${found.system}|${found.code} is "${found.display}", not "${display}"` }, { name: 'display', valueString: found.display })
  } else {
    parameter.push({ name: 'result', valueBoolean: true }, ...(found.display === undefined ? [] : [{ name: 'display', valueString: found.display }]))
  }
  return { resourceType: 'Parameters', parameter }
}

interface Candidate { readonly system: string | undefined, readonly code: string }

function candidateCodings (input: OperationInput, needSystem: boolean): Candidate[] {
  const concept = input.get('codeableConcept')?.[0]
  if (concept !== undefined && typeof concept === 'object' && 'coding' in concept) {
    const codings = (concept.coding ?? []).filter(c => c.code !== undefined).map(c => ({ system: c.system, code: c.code as string }))
    if (codings.length === 0) throw new GatewayError('invalid', 'codeableConcept needs at least one coding with a code', { expression: 'codeableConcept' })
    return codings
  }
  return [codingOf(input, needSystem)]
}

function codingOf (input: OperationInput, needSystem: boolean): Candidate {
  const coding = input.get('coding')?.[0]
  const system = typeof coding === 'object' && coding !== null ? (coding as Coding).system : first(input, 'system')
  const code = typeof coding === 'object' && coding !== null ? (coding as Coding).code : first(input, 'code')
  if (code === undefined || code === '') throw new GatewayError('invalid', 'Give a code (with its system) or a coding', { expression: 'code' })
  if (needSystem && system === undefined) throw new GatewayError('invalid', 'Give the system of the code', { expression: 'system' })
  return { system, code }
}

function findDefinition (concepts: ReadonlyArray<{ code?: string, definition?: string, concept?: unknown[] }> | undefined, code: string): string | undefined {
  for (const concept of concepts ?? []) {
    if (concept.code === code) return concept.definition
    const nested = findDefinition(concept.concept as typeof concepts, code)
    if (nested !== undefined) return nested
  }
  return undefined
}

/** Turns a query string or a Parameters body into an OperationInput. */
export function operationInput (query: URLSearchParams, body: unknown): OperationInput {
  const input = new Map<string, Array<string | Coding | CodeableConcept>>()
  const add = (name: string, value: string | Coding | CodeableConcept): void => {
    input.set(name, [...(input.get(name) ?? []), value])
  }
  for (const [name, value] of query) add(name, value)
  if (body !== undefined && body !== null && typeof body === 'object' && !(body instanceof URLSearchParams)) {
    const parameters = body as Parameters
    if (parameters.resourceType !== 'Parameters') throw new GatewayError('invalid', 'The body of a terminology operation must be a Parameters resource', { expression: 'resourceType' })
    for (const p of parameters.parameter ?? []) {
      const value = p.valueString ?? p.valueCode ?? p.valueUri ?? p.valueCanonical ?? (p.valueInteger === undefined ? undefined : String(p.valueInteger)) ?? p.valueCoding ?? p.valueCodeableConcept
      if (value !== undefined) add(p.name as string, value)
    }
  }
  return input
}
