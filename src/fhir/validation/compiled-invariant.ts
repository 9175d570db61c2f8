/**
 * Invariants compiled to plain functions over the JSON, for the common shapes FHIR and our
 * profiles use: member paths, exists(), empty(), not(), count(), where(), and/or/implies/xor,
 * =, != and comparisons against literals (`extension.exists() != value.exists()` on every
 * Extension, `abatement.empty() or clinicalStatus.coding.where(...).exists()` on every Condition).
 * Evaluating them with the FHIRPath interpreter was about a tenth of mapping and validating a
 * pack-1 referral (compiling them took it from 0.56 to 0.51 ms per payload, bench/mapping/ab.ts),
 * most of it looking up element definitions and choice types again on every call; here they
 * are looked up once, at compile time, from the same schemas.
 *
 * A compiled invariant gives the answer medplum's interpreter gives (atoms.ts, functions.ts,
 * utils.ts of @medplum/core), or undefined wherever it cannot be sure: a primitive extension
 * (`_status`), an empty item in a list, a value of an unexpected JS type, anything the
 * interpreter would throw on. The caller then evaluates with the interpreter as before.
 * test/fhir/validation/compiled-invariant.test.ts compares the two on broken and valid values.
 */
import {
  AndAtom, ArithmeticOperatorAtom, DotAtom, EqualsAtom, FhirPathAtom, FunctionAtom, ImpliesAtom,
  InfixOperatorAtom, isEmpty, LiteralAtom, NotEqualsAtom, OrAtom, SymbolAtom, tryGetDataType, XorAtom,
  type Atom
} from '@medplum/core'
import { choiceKey } from './type-schemas.js'

/** true or false as the interpreter's single boolean result; null for any other result; undefined: ask the interpreter. */
export type CompiledInvariant = (value: unknown) => boolean | null | undefined

/** A FHIRPath collection as plain JSON values, or undefined where the interpreter is needed. */
type Evaluate = (input: readonly unknown[]) => unknown[] | undefined

interface Compiled {
  readonly evaluate: Evaluate
  /** The FHIR type of every item, where one is known; undefined for a choice of types. */
  readonly type: string | undefined
}

/** Thrown while compiling an expression this module does not handle. */
class NotCompilable extends Error {}

const COMPARISONS = new Set(['<', '<=', '>', '>='])
// Types the interpreter retypes from the value (a contained resource), or that have no element table.
const UNTYPED = new Set(['Resource', 'DomainResource'])

/** Compiles `atom` for values of `typeName` (a type or profile schema key), or undefined if it cannot. */
export function compileInvariant (atom: FhirPathAtom, typeName: string): CompiledInvariant | undefined {
  let compiled: Compiled
  try {
    compiled = compile(atom.child, typeName)
  } catch (err) {
    if (err instanceof NotCompilable) return undefined
    throw err
  }
  return (value) => {
    const result = compiled.evaluate([value])
    if (result === undefined) return undefined
    return result.length === 1 && typeof result[0] === 'boolean' ? result[0] : null
  }
}

function compile (atom: Atom, type: string | undefined): Compiled {
  if (atom instanceof SymbolAtom) return member(atom.name, type)
  if (atom instanceof LiteralAtom) return literal(atom)
  if (atom instanceof DotAtom) {
    const left = compile(atom.left, type)
    const right = compile(atom.right, left.type)
    return { type: right.type, evaluate: input => then(left.evaluate(input), right.evaluate) }
  }
  if (atom instanceof FunctionAtom) return call(atom, type)
  if (atom instanceof AndAtom || atom instanceof OrAtom || atom instanceof ImpliesAtom || atom instanceof XorAtom) return logical(atom, type)
  if (atom instanceof EqualsAtom || atom instanceof NotEqualsAtom) return equality(atom, type)
  if (atom instanceof ArithmeticOperatorAtom && COMPARISONS.has(atom.operator)) return comparison(atom, type)
  throw new NotCompilable(atom.constructor.name)
}

function then (collection: unknown[] | undefined, next: Evaluate): unknown[] | undefined {
  return collection === undefined ? undefined : next(collection)
}

/**
 * An element of the current type, found as getTypedPropertyValueWithSchema finds it: the first of
 * the element's types whose JSON property (`valueString` for `value[x]`) is present. An empty
 * value is no value; a list with an empty item, or any `_` extension property, goes to the
 * interpreter.
 */
function member (name: string, type: string | undefined): Compiled {
  if (name === '$this') return { type, evaluate: input => [...input] }
  if (name.startsWith('%') || name.startsWith('$') || /^[A-Z]/.test(name)) throw new NotCompilable(name)
  if (type === undefined || UNTYPED.has(type)) throw new NotCompilable(`${name} on ${type ?? 'a choice'}`)
  const schema = tryGetDataType(type)
  const element = schema?.elements[name] ?? schema?.elements[`${name}[x]`]
  if (element === undefined || element.type.length === 0) throw new NotCompilable(`${type}.${name}`)
  // The JSON property comes from the element's own path, as the interpreter takes it.
  const segment = element.path.slice(element.path.lastIndexOf('.') + 1)
  const properties = element.type.map(t => segment.endsWith('[x]') ? choiceKey(segment, t.code) : segment)
  const codes = element.type.map(t => t.code)
  const itemType = codes.length === 1 && !UNTYPED.has(codes[0] as string) ? codes[0] : undefined
  const found = properties.length > CHOICE_SCAN ? firstPresentByKeys(properties) : firstPresentInOrder(properties)
  return {
    type: itemType,
    evaluate: (input) => {
      const out: unknown[] = []
      for (const parent of input) {
        if (!parent || typeof parent !== 'object') continue
        const value = found(parent as Record<string, unknown>)
        if (value === EXTENDED) return undefined
        if (value === undefined || isEmpty(value)) continue
        if (Array.isArray(value)) {
          for (const item of value) {
            if (isEmpty(item)) return undefined
            out.push(item)
          }
        } else {
          out.push(value)
        }
      }
      return out
    }
  }
}

/** The first of an element's properties present (value or `_` extension), in the element's type order. */
type FirstPresent = (object: Record<string, unknown>) => unknown
/** Returned when the first present form is a primitive extension, which the interpreter types itself. */
const EXTENDED = Symbol('primitive extension')
/** Above this many typed variants (value[x] has 50), scanning the object's few keys is cheaper. */
const CHOICE_SCAN = 4

function firstPresentInOrder (properties: readonly string[]): FirstPresent {
  const extensions = properties.map(property => `_${property}`)
  return (object) => {
    for (let i = 0; i < properties.length; i++) {
      if (object[extensions[i] as string] !== undefined) return EXTENDED
      const value = object[properties[i] as string]
      if (value !== undefined) return value
    }
    return undefined
  }
}

function firstPresentByKeys (properties: readonly string[]): FirstPresent {
  const rank = new Map<string, number>()
  properties.forEach((property, i) => { rank.set(property, i); rank.set(`_${property}`, i) })
  return (object) => {
    let best = Infinity
    let bestKey: string | undefined
    for (const key in object) {
      const i = rank.get(key)
      if (i === undefined || object[key] === undefined) continue
      // At one rank the extension form wins: the interpreter checks both before choosing.
      if (i < best || (i === best && key.startsWith('_'))) {
        best = i
        bestKey = key
      }
    }
    if (bestKey === undefined) return undefined
    return bestKey.startsWith('_') ? EXTENDED : object[bestKey]
  }
}

function literal (atom: LiteralAtom): Compiled {
  const { type, value } = atom.value
  if (typeof value !== 'string' && typeof value !== 'boolean' && typeof value !== 'number') throw new NotCompilable(`literal ${type}`)
  return { type, evaluate: () => [value] }
}

function call (atom: FunctionAtom, type: string | undefined): Compiled {
  const [criteria, ...extra] = atom.args
  if (extra.length > 0) throw new NotCompilable(atom.name)
  if (criteria === undefined) {
    switch (atom.name) {
      case 'exists': return { type: 'boolean', evaluate: input => [input.length > 0 && input.every(item => !isEmpty(item))] }
      case 'empty': return { type: 'boolean', evaluate: input => [input.every(item => isEmpty(item))] }
      case 'count': return { type: 'integer', evaluate: input => [input.length] }
      case 'not': return { type: 'boolean', evaluate: not }
      default: throw new NotCompilable(atom.name)
    }
  }
  const test = compile(criteria, type)
  // toJsBoolean: a criteria holds for an item when its first result is truthy.
  const holds = (item: unknown): boolean | undefined => {
    const result = test.evaluate([item])
    return result === undefined ? undefined : result.length > 0 && Boolean(result[0])
  }
  switch (atom.name) {
    case 'where': return { type, evaluate: input => filtered(input, holds) }
    case 'exists': return { type: 'boolean', evaluate: input => then(filtered(input, holds), kept => [kept.length > 0]) }
    default: throw new NotCompilable(atom.name)
  }
}

function filtered (input: readonly unknown[], holds: (item: unknown) => boolean | undefined): unknown[] | undefined {
  const kept: unknown[] = []
  for (const item of input) {
    const verdict = holds(item)
    if (verdict === undefined) return undefined
    if (verdict) kept.push(item)
  }
  return kept
}

/** not() of a boolean or nothing; the interpreter's toBoolean conversions of other values are left to it. */
function not (input: readonly unknown[]): unknown[] | undefined {
  if (input.length === 0) return []
  if (input.length === 1 && typeof input[0] === 'boolean') return [!input[0]]
  return undefined
}

type Operand = boolean | null
type Connective = (left: Operand, right: Operand) => Operand

const CONNECTIVES = new Map<Function, Connective>([
  [AndAtom, (l, r) => l === true && r === true ? true : l === false || r === false ? false : null],
  [OrAtom, (l, r) => l === false && r === false ? false : l === true || r === true ? true : null],
  [XorAtom, (l, r) => l === null || r === null ? null : l !== r],
  [ImpliesAtom, (l, r) => r === true || l === false ? true : l === null || r === null ? null : false]
])

/**
 * and, or, xor, implies: both sides are evaluated, as the interpreter does (so a side it would
 * throw on is never skipped), and each must be empty or one boolean (singleton(x, 'boolean')).
 */
function logical (atom: AndAtom | OrAtom | ImpliesAtom | XorAtom, type: string | undefined): Compiled {
  const left = compile(atom.left, type)
  const right = compile(atom.right, type)
  const connective = CONNECTIVES.get(atom.constructor) as Connective
  const operand = (collection: unknown[] | undefined, operandType: string | undefined): Operand | undefined => {
    if (collection === undefined || collection.length > 1) return undefined
    if (collection.length === 0) return null
    return operandType === 'boolean' && typeof collection[0] === 'boolean' ? collection[0] : undefined
  }
  return {
    type: 'boolean',
    evaluate: (input) => {
      const l = operand(left.evaluate(input), left.type)
      const r = operand(right.evaluate(input), right.type)
      if (l === undefined || r === undefined) return undefined
      const result = connective(l, r)
      return result === null ? [] : [result]
    }
  }
}

/**
 * An operator over two non-empty collections, as the interpreter's = != < <= > >= are: both sides
 * evaluated, empty if either side is; `combine` answers for the rest (undefined: the interpreter).
 */
function overBothSides (atom: InfixOperatorAtom, type: string | undefined, combine: (l: unknown[], r: unknown[]) => unknown[] | undefined): Compiled {
  const left = compile(atom.left, type)
  const right = compile(atom.right, type)
  return {
    type: 'boolean',
    evaluate: (input) => {
      const l = left.evaluate(input)
      const r = right.evaluate(input)
      if (l === undefined || r === undefined) return undefined
      if (l.length === 0 || r.length === 0) return []
      return combine(l, r)
    }
  }
}

/** = and != item by item, for strings and booleans (fhirPathArrayEquals / NotEquals); numbers and objects go to the interpreter. */
function equality (atom: EqualsAtom | NotEqualsAtom, type: string | undefined): Compiled {
  const negated = atom instanceof NotEqualsAtom
  return overBothSides(atom, type, (l, r) => {
    if (l.length !== r.length) return [negated]
    let equal = true
    for (let i = 0; i < l.length; i++) {
      const a = l[i]
      const b = r[i]
      if (!plainlyComparable(a) || !plainlyComparable(b)) return undefined
      if (a !== b) equal = false
    }
    return [negated ? !equal : equal]
  })
}

function plainlyComparable (value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'boolean'
}

/** <, <=, >, >= on one string or one number each side, with the interpreter's own operator function. */
function comparison (atom: ArithmeticOperatorAtom, type: string | undefined): Compiled {
  return overBothSides(atom, type, (l, r) => {
    if (l.length > 1 || r.length > 1) return undefined
    const [a, b] = [l[0], r[0]]
    const bothNumbers = typeof a === 'number' && typeof b === 'number'
    const bothStrings = typeof a === 'string' && typeof b === 'string'
    if (!bothNumbers && !bothStrings) return undefined
    const result = atom.impl(a as number, b as number)
    return typeof result === 'boolean' ? [result] : undefined
  })
}
