/**
 * A JSON Schema of a non-FHIR payload as a FHIR logical model, so a mapping can target it.
 *
 * Why: @medplum/core's StructureMap engine learns whether a target element repeats, and what type
 * a new child object has, only from a registered type. Into an untyped target every repeated
 * element (`crm.needs as need`) overwrites the last instead of appending. Registering the
 * payload's JSON Schema as a logical model (kind=logical, type = the schema's $id) gives the engine
 * arrays and nested object types, and keeps the schema the one description of the payload.
 * The model's url (= its type) must be http(s): medplum indexes only such logical models by type.
 *
 * Supports the subset payload schemas use: object/properties, array/items, primitive types,
 * const/enum (strings), local `$ref` to `#/$defs/...`.
 */
import { loadDataType } from '@medplum/core'
import type { ElementDefinition, StructureDefinition } from '@medplum/fhirtypes'

export interface JsonSchema {
  readonly $ref?: string
  readonly $defs?: Readonly<Record<string, JsonSchema>>
  readonly type?: string | readonly string[]
  readonly properties?: Readonly<Record<string, JsonSchema>>
  readonly items?: JsonSchema
  readonly const?: unknown
  readonly enum?: readonly unknown[]
  readonly required?: readonly string[]
  readonly description?: string
}

/** The FHIR primitive a JSON Schema leaf maps to; numbers are decimals, whole numbers integers. */
function primitiveType (schema: JsonSchema): string {
  const type = Array.isArray(schema.type) ? schema.type.find(t => t !== 'null') : schema.type
  if (type === 'integer') return 'integer'
  if (type === 'number') return 'decimal'
  if (type === 'boolean') return 'boolean'
  return 'string'
}

function isObject (schema: JsonSchema): boolean {
  return schema.type === 'object' || schema.properties !== undefined
}

/**
 * The logical model StructureDefinition of a payload schema. `name` becomes the root path and
 * prefixes the names of nested object types (medplum names them NamePropertyChild...), so it must
 * not clash with a FHIR type or another mapping's model.
 */
export function logicalModelOf (name: string, url: string, schema: JsonSchema): StructureDefinition {
  const resolve = (s: JsonSchema): JsonSchema => {
    if (s.$ref === undefined) return s
    const match = /^#\/\$defs\/(.+)$/.exec(s.$ref)
    const target = match === null ? undefined : schema.$defs?.[match[1] as string]
    if (target === undefined) throw new Error(`${name}: only local #/$defs references are supported, not ${s.$ref}`)
    return resolve(target)
  }
  const elements: ElementDefinition[] = [{ id: name, path: name, min: 0, max: '1' }]
  const walk = (path: string, object: JsonSchema): void => {
    for (const [key, raw] of Object.entries(object.properties ?? {})) {
      const property = resolve(raw)
      const repeats = property.type === 'array'
      const item = repeats ? resolve(property.items ?? {}) : property
      const childPath = `${path}.${key}`
      elements.push({
        id: childPath,
        path: childPath,
        min: object.required?.includes(key) === true ? 1 : 0,
        max: repeats ? '*' : '1',
        type: [{ code: isObject(item) ? 'BackboneElement' : primitiveType(item) }],
        ...(property.description === undefined ? {} : { definition: property.description })
      })
      if (isObject(item)) walk(childPath, item)
    }
  }
  walk(name, resolve(schema))
  return {
    resourceType: 'StructureDefinition',
    url,
    name,
    status: 'active',
    kind: 'logical',
    abstract: false,
    // An http(s) type: medplum indexes logical models by it, next to the FHIR types.
    type: url,
    snapshot: { element: elements }
  }
}

/** Registers the payload schema with the engine; returns the type name a target must carry. */
export function registerLogicalModel (name: string, url: string, schema: JsonSchema): string {
  const model = logicalModelOf(name, url, schema)
  loadDataType(model)
  return model.type
}
