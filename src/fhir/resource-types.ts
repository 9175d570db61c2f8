/**
 * The registry of resource types this server stores and the interactions it offers on them.
 * Routing, validation and the CapabilityStatement all read this one list.
 */
export const SUPPORTED_RESOURCE_TYPES = [
  'Patient', 'RelatedPerson', 'Practitioner', 'PractitionerRole', 'Organization', 'HealthcareService',
  'Location', 'Endpoint', 'ServiceRequest', 'Task', 'Observation', 'Condition', 'Goal', 'CarePlan',
  'Consent', 'Questionnaire', 'QuestionnaireResponse', 'Communication', 'Provenance', 'AuditEvent',
  'Subscription', 'Measure', 'MeasureReport', 'StructureDefinition', 'ValueSet', 'CodeSystem',
  'StructureMap', 'ConceptMap', 'SearchParameter'
] as const

export type SupportedResourceType = typeof SUPPORTED_RESOURCE_TYPES[number]

const supported: ReadonlySet<string> = new Set(SUPPORTED_RESOURCE_TYPES)

export function isSupportedResourceType (type: string): type is SupportedResourceType {
  return supported.has(type)
}

/** Type-level and instance-level interactions, as named by CapabilityStatement.rest.resource.interaction. */
export const TYPE_INTERACTIONS = [
  'read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'
] as const

export const SYSTEM_INTERACTIONS = ['transaction', 'batch'] as const

/** FHIR logical id: https://hl7.org/fhir/R4/datatypes.html#id */
export const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/
