/**
 * A quick structural pass that can only say "medplum's structural pass would find nothing", against
 * the base definition or a held profile.
 *
 * Medplum's validator visits every element its schema defines for every object (about 45 for a
 * ServiceRequest, most of them absent), and that walk was about a quarter of the gateway's CPU on
 * a create. This pass walks only the keys a resource has, plus the required elements, using the
 * same schemas (getDataType), the same primitive rules (fhirTypeToJsType, validationRegexes,
 * isValidCalendarDate) and the same invariants evaluated the same way (evalFhirPathTyped). It is
 * conservative: anything it does not fully check (primitive extensions, contained resources,
 * slices, fixed or pattern values it cannot plainly match, nulls, unusual number types, a reference whose target type
 * medplum would warn about, an invariant that is not plainly true) makes it answer false, and the
 * caller then runs medplum's validator, which finds and words the problems. So it can make a
 * valid write cheaper, never an invalid one accepted; test/fhir/validation/quick-structure.test.ts
 * checks that against medplum on valid and broken resources, profiled ones included.
 */
import {
  evalFhirPathTyped, fhirTypeToJsType, getDataType, isResourceType, isValidCalendarDate, parseFhirPath,
  toTypedValue, UCUM, validationRegexes,
  type Constraint, type FhirPathAtom, type InternalSchemaElement, type InternalTypeSchema, type TypedValue
} from '@medplum/core'
import type { Resource } from '@medplum/fhirtypes'
import { compileInvariant, type CompiledInvariant } from './compiled-invariant.js'
import { elementsRequiredEmpty, hasNoneOf } from './empty-invariants.js'
import { choiceKey, elementTypeSchema } from './type-schemas.js'

/** Invariants medplum's validator does not evaluate (validation.ts, skippedConstraintKeys). */
const SKIPPED_CONSTRAINTS = new Set(['ele-1', 'dom-3', 'org-1', 'sdf-19'])
const HL7_STRUCTURE_DEFINITION = 'http://hl7.org/fhir/StructureDefinition/'
const MEDPLUM_STRUCTURE_DEFINITION = 'https://medplum.com/fhir/StructureDefinition/'
const MAX_STRING_LENGTH = 1024 * 1024
const INTEGER_MIN = -2_147_483_648
const INTEGER_MAX = 2_147_483_647

/** One JSON key of an object of a type: the element it fills and, for a choice, the type chosen. */
interface KeyPlan {
  readonly element: InternalSchemaElement
  readonly typeCode: string
  /** The choice element's key (`value[x]`), so two variants of one choice are noticed. */
  readonly choice?: string
  /** Its invariants that medplum evaluates, parsed. */
  readonly invariants: readonly Invariant[]
}

interface Invariant {
  readonly atom: FhirPathAtom
  /** Elements whose absence makes it hold without evaluating it (empty-invariants.ts). */
  readonly holdsWithout?: readonly string[]
  /** Compiled per type of value it is checked on (compiled-invariant.ts); undefined where it could not be. */
  readonly compiled: Map<string, CompiledInvariant | undefined>
}

interface TypePlan {
  readonly schema: InternalTypeSchema
  readonly keys: ReadonlyMap<string, KeyPlan>
  /** Keys of required elements: a choice is present if any of its variants is. */
  readonly required: ReadonlyArray<readonly string[]>
  readonly rootInvariants: readonly Invariant[]
}

const plans = new Map<InternalTypeSchema, TypePlan>()
const atoms = new Map<string, FhirPathAtom>()
const UCUM_VALUE = toTypedValue(UCUM)

/**
 * True only if medplum would return no issue at all for `resource`: validateResource(resource)
 * or, given the schema key of a profile registered with medplum (profile-schemas.ts),
 * validateTypedValue({ type: schemaKey, value: resource }).
 */
export function passesQuickStructure (resource: Resource, schemaKey?: string): boolean {
  if (typeof resource.resourceType !== 'string' || !isResourceType(resource.resourceType)) return false
  let schema: InternalTypeSchema
  try {
    schema = getDataType(schemaKey ?? resource.resourceType)
  } catch {
    return false
  }
  const root: TypedValue = schemaKey === undefined ? toTypedValue(resource) : { type: schemaKey, value: resource }
  const plan = planOf(schema)
  // Medplum's validator puts the resource on its resource stack before checking anything, so
  // %resource is set for the resource's own invariants too (Observation obs-7 uses it).
  if (!invariantsHold(plan.rootInvariants, root, root)) return false
  return objectPasses(resource as unknown as Record<string, unknown>, plan, root, true)
}

function objectPasses (object: Record<string, unknown>, plan: TypePlan, root: TypedValue, isRoot: boolean): boolean {
  const choicesSeen = new Set<string>()
  let keys = 0
  for (const key in object) {
    keys++
    const value = object[key]
    if (key === 'resourceType') {
      if (!isRoot) return false
      continue
    }
    const keyPlan = plan.keys.get(key)
    if (keyPlan === undefined) return false
    if (keyPlan.choice !== undefined) {
      if (choicesSeen.has(keyPlan.choice)) return false
      choicesSeen.add(keyPlan.choice)
    }
    if (!propertyPasses(value, keyPlan, plan, root)) return false
  }
  if (keys === 0) return false
  for (const variants of plan.required) {
    if (!variants.some(key => object[key] !== undefined)) return false
  }
  return true
}

function propertyPasses (value: unknown, keyPlan: KeyPlan, plan: TypePlan, root: TypedValue): boolean {
  const { element, typeCode } = keyPlan
  let values: unknown[]
  if (element.isArray === true) {
    if (!Array.isArray(value) || value.length === 0) return false
    values = value
  } else {
    if (Array.isArray(value)) return false
    values = [value]
  }
  if (values.length < element.min || values.length > (element.max ?? Infinity)) return false
  if ((element.fixed !== undefined || element.pattern !== undefined) && !matchesProfileValue(value, element, typeCode)) return false
  for (const item of values) {
    if (item === null || item === undefined) return false
    if (!valuePasses(item, typeCode, element, plan, root)) return false
    if (keyPlan.invariants.length > 0 && !invariantsHold(keyPlan.invariants, { type: typeCode, value: item }, root)) return false
  }
  return true
}

function valuePasses (value: unknown, typeCode: string, element: InternalSchemaElement, plan: TypePlan, root: TypedValue): boolean {
  const jsType = (fhirTypeToJsType as Record<string, string | undefined>)[typeCode]
  if (jsType !== undefined) return primitivePasses(value, typeCode, jsType)
  if (typeof value !== 'object' || Array.isArray(value)) return false
  if (typeCode === 'Reference' && referenceWouldWarn(value as { reference?: unknown }, element)) return false
  const schema = innerType(typeCode, plan.schema)
  if (schema === undefined) return false
  return objectPasses(value as Record<string, unknown>, planOf(schema), root, false)
}

function primitivePasses (value: unknown, typeCode: string, jsType: string): boolean {
  // eslint-disable-next-line valid-typeof -- jsType is one of 'string' | 'number' | 'boolean'
  if (typeof value !== jsType) return false
  if (jsType === 'string') {
    if (typeCode === 'base64Binary') return false
    const text = value as string
    if (text.trim() === '' || text.length > MAX_STRING_LENGTH) return false
    const pattern = (validationRegexes as Record<string, RegExp | undefined>)[typeCode]
    if (pattern !== undefined && pattern.exec(text) === null) return false
    if ((typeCode === 'date' || typeCode === 'dateTime' || typeCode === 'instant') && !isValidCalendarDate(text)) return false
    return true
  }
  if (jsType === 'number') {
    const n = value as number
    if (!Number.isFinite(n)) return false
    switch (typeCode) {
      case 'decimal': return true
      case 'integer': return Number.isInteger(n) && n >= INTEGER_MIN && n <= INTEGER_MAX
      case 'positiveInt': return Number.isInteger(n) && n >= 1 && n <= INTEGER_MAX
      case 'unsignedInt': return Number.isInteger(n) && n >= 0 && n <= INTEGER_MAX
      default: return false
    }
  }
  return true
}

/** Mirrors medplum's referenceTypeCheck: true where it would add its wrong-target-type warning (or might). */
function referenceWouldWarn (reference: { reference?: unknown }, element: InternalSchemaElement): boolean {
  const text = reference.reference
  if (text === undefined) return false
  if (typeof text !== 'string') return true
  if (text.startsWith('#')) return false
  const targetType = (text.includes('?') ? text.split('?')[0] : text.split('/')[0]) ?? ''
  if (targetType === '') return false
  if (text === 'system' && element.path === 'AuditEvent.agent.who') return false
  const targets = element.type.find(t => t.code === 'Reference')?.targetProfile
  if (targets === undefined) return false
  for (const target of targets) {
    if (target === `${HL7_STRUCTURE_DEFINITION}Resource` || target === HL7_STRUCTURE_DEFINITION + targetType || target === MEDPLUM_STRUCTURE_DEFINITION + targetType) return false
    if (!target.startsWith(HL7_STRUCTURE_DEFINITION) && !target.startsWith(MEDPLUM_STRUCTURE_DEFINITION)) return false
  }
  return true
}

/**
 * The schema of a complex value's type, looked up as medplum's crawler does: an inner (backbone)
 * type of the current schema, else the registered type of that name.
 */
function innerType (typeCode: string, schema: InternalTypeSchema): InternalTypeSchema | undefined {
  // Resources inside resources (contained, Bundle entries) are left to medplum.
  if (typeCode === 'Resource' || typeCode === 'DomainResource') return undefined
  return elementTypeSchema(typeCode, schema)
}

/**
 * A profile's fixed or pattern value, as medplum checks it (validation.ts): the element's typed
 * value must equal the fixed one, or contain the pattern (every key of the pattern present with a
 * matching value, every item of a pattern list matched by some item). Medplum compares a list of
 * values with a single pattern and finds a mismatch, so lists go to it; so do fixed complex
 * values, empty values and anything not plainly matching.
 */
function matchesProfileValue (value: unknown, element: InternalSchemaElement, typeCode: string): boolean {
  if (Array.isArray(value)) return false
  const expected = element.fixed ?? element.pattern
  if (expected === undefined || expected.type !== typeCode) return false
  if (element.fixed !== undefined) return !isObject(value) && !isObject(expected.value) && value === expected.value && !isEmptyValue(value)
  return containsPattern(value, expected.value)
}

function containsPattern (value: unknown, pattern: unknown): boolean {
  if (isEmptyValue(pattern) || isEmptyValue(value)) return false
  if (Array.isArray(pattern)) return Array.isArray(value) && pattern.every(wanted => value.some(item => containsPattern(item, wanted)))
  if (Array.isArray(value)) return false
  if (isObject(pattern)) {
    if (!isObject(value)) return false
    return Object.entries(pattern).every(([key, wanted]) => key in value && containsPattern((value as Record<string, unknown>)[key], wanted))
  }
  return !isObject(value) && value === pattern
}

function isObject (value: unknown): value is object {
  return value !== null && typeof value === 'object'
}

function isEmptyValue (value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true
  if (Array.isArray(value)) return value.length === 0
  return isObject(value) && Object.keys(value).length === 0
}

/**
 * Evaluated as medplum does (isExpressionTrue): the value as %context, the resource as %resource
 * and %rootResource (resources inside resources never reach this pass), and %ucum.
 */
function invariantsHold (invariants: readonly Invariant[], value: TypedValue, root: TypedValue): boolean {
  if (invariants.length === 0) return true
  let variables: Record<string, TypedValue> | undefined
  const object = typeof value.value === 'object' && value.value !== null ? value.value as object : undefined
  for (const invariant of invariants) {
    const { atom, holdsWithout } = invariant
    if (holdsWithout !== undefined && object !== undefined && hasNoneOf(object, holdsWithout)) continue
    const verdict = compiledFor(invariant, value.type)?.(value.value)
    if (verdict === true) continue
    if (verdict !== undefined) return false
    variables ??= { '%context': value, '%ucum': UCUM_VALUE, '%resource': root, '%rootResource': root }
    try {
      const result = evalFhirPathTyped(atom, [value], variables)
      if (result.length !== 1 || result[0]?.value !== true) return false
    } catch {
      return false
    }
  }
  return true
}

function compiledFor (invariant: Invariant, typeName: string): CompiledInvariant | undefined {
  if (!invariant.compiled.has(typeName)) invariant.compiled.set(typeName, compileInvariant(invariant.atom, typeName))
  return invariant.compiled.get(typeName)
}

function planOf (schema: InternalTypeSchema): TypePlan {
  const known = plans.get(schema)
  if (known !== undefined) return known
  const keys = new Map<string, KeyPlan>()
  const required: string[][] = []
  // A profile that constrains elements inside a datatype (`code.coding`) keys them by dotted
  // path; this pass does not follow those, so such a schema clears nothing.
  const nested = Object.keys(schema.elements).some(name => name.includes('.'))
  for (const [name, element] of Object.entries(schema.elements)) {
    const invariants = parsedInvariants(element.constraints)
    // Slices and typed profiles are profile features this pass does not check: leave those
    // elements to medplum. Fixed and pattern values it does check (matchesProfileValue).
    const checkable = !nested && element.slicing === undefined && element.type.every(type => (type.profile ?? []).length === 0)
    if (name.endsWith('[x]')) {
      const variants = element.type.map(type => choiceKey(name, type.code))
      if (checkable) element.type.forEach((type, i) => keys.set(variants[i] ?? '', { element, typeCode: type.code, choice: name, invariants }))
      if (element.min > 0) required.push(variants)
    } else {
      const typeCode = element.type.length === 1 ? element.type[0]?.code : undefined
      if (checkable && typeCode !== undefined) keys.set(name, { element, typeCode, invariants })
      if (element.min > 0) required.push([name])
    }
  }
  const plan: TypePlan = { schema, keys, required, rootInvariants: parsedInvariants(schema.constraints) }
  plans.set(schema, plan)
  return plan
}

function parsedInvariants (constraints: readonly Constraint[] | undefined): Invariant[] {
  const parsed: Invariant[] = []
  for (const constraint of constraints ?? []) {
    if (constraint.severity !== 'error' || SKIPPED_CONSTRAINTS.has(constraint.key)) continue
    let atom = atoms.get(constraint.expression)
    if (atom === undefined) {
      atom = parseFhirPath(constraint.expression)
      atoms.set(constraint.expression, atom)
    }
    const holdsWithout = elementsRequiredEmpty(constraint.expression)
    parsed.push(holdsWithout === undefined ? { atom, compiled: new Map() } : { atom, holdsWithout, compiled: new Map() })
  }
  return parsed
}
