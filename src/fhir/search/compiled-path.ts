/**
 * A fast evaluator for the plain member paths most search parameters use (`ServiceRequest.code`,
 * `Patient.name.family`, `Observation.effective`). Indexing evaluates every parameter of a type
 * on every write; walking the properties directly, with element types looked up once from the
 * schema, avoids the FHIRPath interpreter's per-call work. Anything else (functions, casts,
 * indexers, choice types mid-path) is left to the interpreter, and so is any value carrying
 * primitive extensions (`_status`), whose typed form the interpreter builds itself.
 */
import { capitalize, tryGetDataType, type TypedValue } from '@medplum/core'
import type { Resource } from '@medplum/fhirtypes'

/**
 * Returns the values, or undefined when this resource needs the interpreter. Each value carries
 * its element path without indexes (indexing looks up implied code systems by it).
 */
export type CompiledPath = (resource: Resource) => TypedValue[] | undefined

interface Step {
  /** The element path so far, without indexes (ServiceRequest.status), as the interpreter gives it. */
  readonly path: string
  /** Property name suffix and FHIR type of each alternative; one entry without suffix if not a choice. */
  readonly alternatives: ReadonlyArray<{ readonly property: string, readonly type: string }>
}

const SIMPLE_PATH = /^([A-Z][A-Za-z]+)((?:\.[a-z][A-Za-z0-9]*)+)$/

export function compileSimplePath (expression: string): CompiledPath | undefined {
  const match = SIMPLE_PATH.exec(expression.trim())
  if (match === null) return undefined
  const [, rootType, rest] = match as unknown as [string, string, string]
  const names = rest.slice(1).split('.')
  const steps: Step[] = []
  let typeName = rootType
  for (const [i, name] of names.entries()) {
    const schema = tryGetDataType(typeName)
    if (schema === undefined) return undefined
    const plain = schema.elements[name]
    const choice = schema.elements[`${name}[x]`]
    if (plain !== undefined) {
      if (plain.type.length !== 1) return undefined
      const type = plain.type[0]?.code as string
      steps.push({ path: `${rootType}.${names.slice(0, i + 1).join('.')}`, alternatives: [{ property: name, type }] })
      typeName = type
    } else if (choice !== undefined && i === names.length - 1) {
      steps.push({ path: `${rootType}.${names.slice(0, i + 1).join('.')}`, alternatives: choice.type.map(t => ({ property: `${name}${capitalize(t.code)}`, type: t.code })) })
    } else {
      return undefined
    }
  }
  return (resource) => evaluate(steps, resource)
}

function evaluate (steps: readonly Step[], resource: Resource): TypedValue[] | undefined {
  let current: unknown[] = [resource]
  let values: TypedValue[] = []
  for (const step of steps) {
    values = []
    const next: unknown[] = []
    for (const parent of current) {
      const object = parent as Record<string, unknown>
      for (const { property, type } of step.alternatives) {
        if (object[`_${property}`] !== undefined) return undefined
        const value = object[property]
        if (value === undefined || value === null) continue
        for (const item of Array.isArray(value) ? value : [value]) {
          if (item === undefined || item === null) continue
          next.push(item)
          values.push({ type, value: item, path: step.path } as TypedValue)
        }
      }
    }
    current = next
  }
  return values
}
