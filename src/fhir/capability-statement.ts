/**
 * The CapabilityStatement, generated from the same registries the server routes and validates
 * with, so it cannot drift from what the code does.
 */
import type { CapabilityStatement, CapabilityStatementRestResource, CapabilityStatementRestResourceOperation, StructureDefinition } from '@medplum/fhirtypes'
import type { SearchRegistry } from './search/registry.js'
import { SUPPORTED_RESOURCE_TYPES, SYSTEM_INTERACTIONS, TYPE_INTERACTIONS } from './resource-types.js'

export interface CapabilityInputs {
  readonly fhirBaseUrl: string
  readonly softwareVersion: string
  readonly profiles: ReadonlyMap<string, StructureDefinition>
  readonly registry: SearchRegistry
  /** Operations offered on a type ($expand, $lookup, …), by type. */
  readonly operations?: Readonly<Record<string, CapabilityStatementRestResourceOperation[]>>
  readonly startedAt: string
  /** The OAuth token endpoint when authentication is on (SMART Backend Services). */
  readonly tokenUrl?: string
}

export function buildCapabilityStatement (inputs: CapabilityInputs): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: inputs.startedAt,
    kind: 'instance',
    name: 'SocialPrescribingFhirGateway',
    title: 'Social Prescribing FHIR Gateway',
    publisher: 'Social Prescribing FHIR Gateway',
    software: { name: 'sp-fhir-gateway', version: inputs.softwareVersion },
    implementation: { description: 'Social Prescribing FHIR Gateway', url: inputs.fhirBaseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    patchFormat: ['application/json-patch+json', 'application/fhir+json'],
    rest: [{
      mode: 'server',
      ...(inputs.tokenUrl === undefined ? {} : { security: smartSecurity(inputs.tokenUrl) }),
      interaction: SYSTEM_INTERACTIONS.map(code => ({ code })),
      resource: SUPPORTED_RESOURCE_TYPES.map(type => resourceCapability(type, inputs))
    }]
  }
}

/** How clients learn where to get a token: http://hl7.org/fhir/smart-app-launch/conformance.html */
function smartSecurity (tokenUrl: string): NonNullable<NonNullable<CapabilityStatement['rest']>[number]['security']> {
  return {
    service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
    description: 'SMART Backend Services: a client_credentials token from the token endpoint, with a client assertion signed RS384, ES384 or RS512',
    extension: [{
      url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
      extension: [{ url: 'token', valueUri: tokenUrl }]
    }]
  }
}

function resourceCapability (type: string, inputs: CapabilityInputs): CapabilityStatementRestResource {
  const params = [...inputs.registry.params(type).values()]
  const references = params.filter(param => param.type === 'reference').map(param => param.code)
  const supportedProfile = [...inputs.profiles.values()].filter(sd => sd.type === type).map(sd => sd.url)
  return {
    type: type as CapabilityStatementRestResource['type'],
    profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
    ...(supportedProfile.length > 0 ? { supportedProfile } : {}),
    interaction: TYPE_INTERACTIONS.map(code => ({ code })),
    versioning: 'versioned-update',
    readHistory: true,
    updateCreate: true,
    conditionalCreate: true,
    conditionalRead: 'not-supported',
    conditionalUpdate: true,
    conditionalDelete: 'not-supported',
    referencePolicy: ['literal', 'logical'],
    searchInclude: ['*', ...references.map(code => `${type}:${code}`)],
    searchRevInclude: SUPPORTED_RESOURCE_TYPES.flatMap(source => [...inputs.registry.params(source).values()]
      .filter(param => param.type === 'reference' && param.targets.includes(type))
      .map(param => `${source}:${param.code}`)),
    searchParam: params.map(param => ({ name: param.code, definition: param.url, type: param.type, documentation: param.description })),
    ...(inputs.operations?.[type] === undefined ? {} : { operation: inputs.operations[type] })
  }
}
