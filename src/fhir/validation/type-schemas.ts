/** Small lookups on @medplum/core's type schemas that more than one validation pass needs. */
import { getDataType, type InternalTypeSchema } from '@medplum/core'

/** The JSON key of one type of a choice element: `value[x]` as Quantity is `valueQuantity`. */
export function choiceKey (elementName: string, typeCode: string): string {
  const base = elementName.endsWith('[x]') ? elementName.slice(0, -3) : elementName
  return `${base}${typeCode.charAt(0).toUpperCase()}${typeCode.slice(1)}`
}

/** The registered schema of a type, or undefined where medplum holds none by that name. */
export function registeredType (typeCode: string): InternalTypeSchema | undefined {
  try {
    return getDataType(typeCode)
  } catch {
    return undefined
  }
}

/**
 * The schema of an element's type: a backbone element's inner type, listed on the registered
 * type that owns it (`owner`), else the registered type of that name.
 */
export function elementTypeSchema (typeCode: string, owner: InternalTypeSchema): InternalTypeSchema | undefined {
  return owner.innerTypes.find(t => t.name === typeCode) ?? registeredType(typeCode)
}
