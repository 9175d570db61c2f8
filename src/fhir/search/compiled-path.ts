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

const SIMPLE_PATH = /^([A-Z][A-Za-z]+)((?:\.(?:[a-z][A-Za-z0-9]*|ofType\([A-Za-z]+\)))+)$/
const OF_TYPE = /^ofType\(([A-Za-z]+)\)$/

/**
 * Compiles a member path, where a choice element may be narrowed by `ofType(T)` (as in
 * `Observation.value.ofType(Quantity)`) and parentheses may group a leading part of the path (as
 * in `(Observation.value.ofType(CodeableConcept)).text`); grouping changes nothing in a path.
 */
export function compileSimplePath (expression: string): CompiledPath | undefined {
  const match = SIMPLE_PATH.exec(withoutGrouping(expression.trim()))
  if (match === null) return undefined
  const [, rootType, rest] = match as unknown as [string, string, string]
  const segments = rest.slice(1).split('.')
  const steps: Step[] = []
  let typeName = rootType
  let path = rootType
  for (let i = 0; i < segments.length; i++) {
    const name = segments[i] as string
    const narrowedTo = OF_TYPE.exec(segments[i + 1] ?? '')?.[1]
    const schema = tryGetDataType(typeName)
    if (schema === undefined || OF_TYPE.test(name)) return undefined
    const plain = schema.elements[name]
    const choice = schema.elements[`${name}[x]`]
    path = `${path}.${name}`
    if (plain !== undefined && narrowedTo === undefined) {
      if (plain.type.length !== 1) return undefined
      const type = plain.type[0]?.code as string
      steps.push({ path, alternatives: [{ property: name, type }] })
      typeName = type
    } else if (choice !== undefined && narrowedTo !== undefined) {
      // Only a type the choice offers by that exact name: ofType(Quantity) on an Age is left to the interpreter.
      if (!choice.type.some(t => t.code === narrowedTo)) return undefined
      steps.push({ path, alternatives: [{ property: `${name}${capitalize(narrowedTo)}`, type: narrowedTo }] })
      typeName = narrowedTo
      i++
    } else if (choice !== undefined && i === segments.length - 1) {
      steps.push({ path, alternatives: choice.type.map(t => ({ property: `${name}${capitalize(t.code)}`, type: t.code })) })
    } else {
      return undefined
    }
  }
  return (resource) => evaluate(steps, resource)
}

/** `(A.b.ofType(T)).c` as `A.b.ofType(T).c`; undefined-safe for anything else, which then fails to match. */
function withoutGrouping (expression: string): string {
  let text = expression
  for (;;) {
    const grouped = /^\(([^()]*(?:\([A-Za-z]+\)[^()]*)*)\)((?:\.[a-z][A-Za-z0-9]*)*)$/.exec(text)
    if (grouped === null) return text
    text = `${grouped[1] ?? ''}${grouped[2] ?? ''}`
  }
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

/**
 * A path relative to a value (a composite parameter's component, such as `value.ofType(Quantity)`
 * on an Observation.component), compiled once per type of value it meets. Returns undefined
 * where the interpreter is needed; values carry the path the interpreter would give, without
 * indexes.
 */
export type CompiledRelativePath = (context: TypedValue) => TypedValue[] | undefined

export function compileRelativePath (expression: string): CompiledRelativePath {
  const byContextType = new Map<string, CompiledPath | undefined>()
  return (context) => {
    if (!byContextType.has(context.type)) byContextType.set(context.type, /^[A-Z]/.test(context.type) ? compileSimplePath(`${context.type}.${expression}`) : undefined)
    const compiled = byContextType.get(context.type)
    if (compiled === undefined || context.value === null || typeof context.value !== 'object') return undefined
    const values = compiled(context.value as Resource)
    if (values === undefined) return undefined
    const contextPath = (context as TypedValue & { path?: string }).path?.replace(/\[\d+\]/g, '') ?? context.type
    return values.map(value => ({ ...value, path: contextPath + (value as TypedValue & { path: string }).path.slice(context.type.length) }))
  }
}
