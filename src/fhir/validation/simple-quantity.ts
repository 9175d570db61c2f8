/**
 * SimpleQuantity (R4 sqty-1: "The comparator is not used on a SimpleQuantity"). R4 types some
 * elements as Quantity constrained by the SimpleQuantity profile (Range.low and .high,
 * Observation.referenceRange.low and .high, SampledData.origin, dose quantities, …).
 * @medplum/core validates those as plain Quantity, so a comparator there was accepted. Almost no
 * resource carries a comparator at all, so a plain scan for the key comes first; only a resource
 * that has one is walked with the type schemas to see where each comparator sits.
 */
import type { InternalSchemaElement, InternalTypeSchema } from '@medplum/core'
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes'
import { choiceKey, elementTypeSchema, registeredType } from './type-schemas.js'

const SIMPLE_QUANTITY = 'http://hl7.org/fhir/StructureDefinition/SimpleQuantity'
/** Element types whose values are resources (contained): walked as the type each one names. */
const RESOURCE_TYPES = new Set(['Resource', 'DomainResource'])

/** What one JSON key of a type holds: a SimpleQuantity, resources, or values of a type to walk into. */
interface KeyStep {
  readonly simpleQuantity: boolean
  readonly resources?: boolean
  readonly inner?: { readonly schema: InternalTypeSchema, readonly owner: InternalTypeSchema }
}

const stepsBySchema = new Map<InternalTypeSchema, Map<string, KeyStep>>()

export function simpleQuantityIssues (resource: Resource): OperationOutcomeIssue[] {
  if (!hasComparator(resource)) return []
  const issues: OperationOutcomeIssue[] = []
  walkResource(resource as unknown as Record<string, unknown>, resource.resourceType, issues)
  return issues
}

function walkResource (resource: Record<string, unknown>, path: string, issues: OperationOutcomeIssue[]): void {
  const schema = typeof resource.resourceType === 'string' ? registeredType(resource.resourceType) : undefined
  if (schema !== undefined) walk(resource, schema, schema, path, issues)
}

/** `owner`: the registered type whose backbone elements `schema` may be one of (they are listed there). */
function walk (object: Record<string, unknown>, schema: InternalTypeSchema, owner: InternalTypeSchema, path: string, issues: OperationOutcomeIssue[]): void {
  const steps = stepsOf(schema, owner)
  for (const key in object) {
    const step = steps.get(key)
    if (step === undefined) continue
    const value = object[key]
    const items = Array.isArray(value) ? value : [value]
    items.forEach((item, i) => {
      if (item === null || typeof item !== 'object') return
      const at = Array.isArray(value) ? `${path}.${key}[${i}]` : `${path}.${key}`
      if (step.simpleQuantity) {
        if ('comparator' in item || '_comparator' in item) {
          issues.push({
            severity: 'error',
            code: 'invariant',
            details: { text: 'Constraint sqty-1 not met: The comparator is not used on a SimpleQuantity' },
            expression: [`${at}.comparator`]
          })
        }
      } else if (step.resources === true) {
        walkResource(item as Record<string, unknown>, at, issues)
      } else if (step.inner !== undefined) {
        walk(item as Record<string, unknown>, step.inner.schema, step.inner.owner, at, issues)
      }
    })
  }
}

/** Each JSON key of the type (a choice's typed variants included) and what it holds. */
function stepsOf (schema: InternalTypeSchema, owner: InternalTypeSchema): Map<string, KeyStep> {
  const known = stepsBySchema.get(schema)
  if (known !== undefined) return known
  const steps = new Map<string, KeyStep>()
  for (const [name, element] of Object.entries(schema.elements)) {
    for (const type of element.type) {
      const key = name.endsWith('[x]') ? choiceKey(name, type.code) : name
      if (isSimpleQuantity(element, type.code)) steps.set(key, { simpleQuantity: true })
      else if (RESOURCE_TYPES.has(type.code)) steps.set(key, { simpleQuantity: false, resources: true })
      else {
        const inner = typeSchema(type.code, owner)
        if (inner !== undefined) steps.set(key, { simpleQuantity: false, inner })
      }
    }
  }
  stepsBySchema.set(schema, steps)
  return steps
}

function isSimpleQuantity (element: InternalSchemaElement, typeCode: string): boolean {
  return typeCode === 'Quantity' && element.type.some(t => t.code === 'Quantity' && (t.profile ?? []).includes(SIMPLE_QUANTITY))
}

/** Whether any object in the value has a comparator (or its extension-only form). */
function hasComparator (value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false
  if (Array.isArray(value)) return value.some(hasComparator)
  for (const key in value) {
    if (key === 'comparator' || key === '_comparator') return true
    if (hasComparator((value as Record<string, unknown>)[key])) return true
  }
  return false
}

/** A backbone element's inner type (listed on its owner), else the registered complex type; none for primitives. */
function typeSchema (typeCode: string, owner: InternalTypeSchema): { schema: InternalTypeSchema, owner: InternalTypeSchema } | undefined {
  if (typeCode.charAt(0) === typeCode.charAt(0).toLowerCase()) return undefined
  const schema = elementTypeSchema(typeCode, owner)
  if (schema === undefined) return undefined
  // An inner type's own backbone elements are listed on the same owner; a registered type owns its own.
  return { schema, owner: owner.innerTypes.includes(schema) ? owner : schema }
}
