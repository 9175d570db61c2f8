/** Literal relative references (Type/id) between seeded resources, typed by their target. */
import type { Reference, Resource } from '@medplum/fhirtypes'

export function referenceTo<T extends Resource> (type: T['resourceType'], id: string): Reference<T> {
  return { reference: `${type}/${id}` }
}
