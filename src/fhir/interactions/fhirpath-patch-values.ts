/**
 * FHIRPath Patch values of complex types (https://hl7.org/fhir/R4/fhirpatch.html): when the value
 * is not a primitive or a value[x] data type (a BackboneElement such as Task.output), the spec
 * gives it as parts of the `value` parameter, one per element. @medplum/core reads only value[x],
 * so such values are assembled here from the element definitions, which also say which elements
 * repeat. Mappings rely on this to add a Task.output without knowing the stored Task.
 */
import { getElementDefinitionForPath, tryGetDataType, type FhirPathPatch } from '@medplum/core'
import type { Parameters, ParametersParameter } from '@medplum/fhirtypes'
import { GatewayError } from '../../errors.js'

/** Fills in the value of each operation whose `value` parameter came as parts. */
export function withComplexValues (resourceType: string, parameters: Parameters, operations: FhirPathPatch[]): FhirPathPatch[] {
  const raw = (parameters.parameter ?? []).filter(p => p.name === 'operation')
  return operations.map((op, index) => {
    const valuePart = raw[index]?.part?.find(p => p.name === 'value')
    if (valuePart?.part === undefined || ('value' in op && op.value !== undefined)) return op
    const typeName = valueTypeOf(resourceType, op)
    return { ...op, value: { type: typeName, value: assemble(typeName, valuePart.part, `operation ${index} value`) } } as FhirPathPatch
  })
}

function valueTypeOf (resourceType: string, op: FhirPathPatch): string {
  const path = elementPath(op.type === 'add' ? `${op.path}.${op.name}` : op.path)
  const code = getElementDefinitionForPath(resourceType, path)?.type?.[0]?.code
  if (code === undefined) throw new GatewayError('invalid', `FHIRPath Patch: ${path} is not an element of ${resourceType}, so its value cannot be given as parts`)
  return code
}

/** `Task.output.where(type.exists()).first()` → `Task.output`: the element path under the functions. */
export function elementPath (fhirPath: string): string {
  let path = fhirPath.replace(/\[\d+\]/g, '')
  let previous = ''
  while (previous !== path) {
    previous = path
    path = path.replace(/\.[A-Za-z]+\([^()]*\)/g, '')
  }
  return path
}

function assemble (typeName: string, parts: readonly ParametersParameter[], at: string): Record<string, unknown> {
  const elements = tryGetDataType(typeName)?.elements ?? {}
  const result: Record<string, unknown> = {}
  for (const part of parts) {
    const name = part.name
    const element = elements[name] ?? polymorphic(elements, name)
    if (element === undefined) throw new GatewayError('invalid', `FHIRPath Patch ${at}: ${typeName} has no element "${name}"`)
    const value = part.part === undefined
      ? primitiveValue(part)
      : assemble(polymorphicType(element.path, name) ?? element.type[0]?.code ?? 'BackboneElement', part.part, `${at}.${name}`)
    if (value === undefined) throw new GatewayError('invalid', `FHIRPath Patch ${at}: part "${name}" has no value`)
    if (element.isArray === true) {
      const list = (result[name] ?? []) as unknown[]
      list.push(value)
      result[name] = list
    } else {
      if (name in result) throw new GatewayError('invalid', `FHIRPath Patch ${at}: "${name}" takes one value; it is given more than once`)
      result[name] = value
    }
  }
  return result
}

function polymorphic (elements: Record<string, { path: string, isArray?: boolean, type: Array<{ code: string }> }>, name: string): { path: string, isArray?: boolean, type: Array<{ code: string }> } | undefined {
  const key = Object.keys(elements).find(k => k.endsWith('[x]') && name.startsWith(k.slice(0, -3)) && name.length > k.length - 3)
  return key === undefined ? undefined : elements[key]
}

/** valueQuantity given as parts is a Quantity. */
function polymorphicType (path: string, name: string): string | undefined {
  if (!path.endsWith('[x]')) return undefined
  const prefix = path.slice(path.lastIndexOf('.') + 1, -3)
  const suffix = name.slice(prefix.length)
  return suffix === '' ? undefined : suffix
}

function primitiveValue (part: ParametersParameter): unknown {
  const key = Object.keys(part).find(k => k.startsWith('value'))
  return key === undefined ? undefined : (part as unknown as Record<string, unknown>)[key]
}

