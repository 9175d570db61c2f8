/**
 * Validation on every write: R4 structure and cardinality and primitive formats (@medplum/core),
 * required bindings, reference formats, and every profile in meta.profile that this server holds.
 * Throws GatewayError('unprocessable') with one issue per problem, each with an expression.
 */
import { OperationOutcomeError, validateResource } from '@medplum/core'
import type { OperationOutcomeIssue, Resource, StructureDefinition } from '@medplum/fhirtypes'
import { GatewayError } from '../../errors.js'
import { SUPPORTED_RESOURCE_TYPES } from '../resource-types.js'
import { baseResourceDefinitions, loadBaseDefinitions } from './base-definitions.js'
import type { DomainChecks } from './domain-checks.js'
import { profileIssues } from './profile-schemas.js'
import { checkReferenceFormats } from './references.js'
import { passesQuickStructure } from './quick-structure.js'
import { buildRequiredBindingIndex, checkRequiredBindings, type RequiredBindingIndex } from './required-bindings.js'
import { simpleQuantityIssues } from './simple-quantity.js'

export interface Validator {
  /** Validates and returns the warnings worth reporting; throws on any error. */
  validate(resource: Resource): OperationOutcomeIssue[]
  readonly profiles: ReadonlyMap<string, StructureDefinition>
}

export interface ValidatorOptions {
  readonly profiles: ReadonlyMap<string, StructureDefinition>
  readonly unknownProfile: 'reject' | 'warn'
  /** Built from the base definitions when not given. */
  readonly requiredBindings?: RequiredBindingIndex
  /** The gateway's own rules (domain-checks.ts): NHS numbers, held terminology, instruments. */
  readonly domainChecks?: DomainChecks
}

export function createValidator (options: ValidatorOptions): Validator {
  loadBaseDefinitions()
  const requiredBindings = options.requiredBindings ?? buildRequiredBindingIndex(baseResourceDefinitions(), SUPPORTED_RESOURCE_TYPES)

  return {
    profiles: options.profiles,
    validate (resource) {
      const issues: OperationOutcomeIssue[] = [
        ...checkRequiredBindings(requiredBindings, resource),
        ...checkReferenceFormats(resource),
        ...checkContainedTypes(resource),
        ...simpleQuantityIssues(resource),
        ...(options.domainChecks?.(resource) ?? [])
      ]
      // A held profile of the resource's own type is a superset of the base definition (its
      // snapshot holds every base element), so the base pass runs only when no such profile
      // is claimed: one structural pass instead of two on every profiled write.
      let structurallyChecked = false
      for (const [index, url] of (resource.meta?.profile ?? []).entries()) {
        const profile = options.profiles.get(url.split('|')[0] ?? url)
        if (profile === undefined) {
          issues.push({
            severity: options.unknownProfile === 'reject' ? 'error' : 'warning',
            code: 'not-supported',
            details: { text: `Profile ${url} is not held by this server, so the resource cannot be checked against it` },
            expression: [`${resource.resourceType}.meta.profile[${index}]`]
          })
        } else if (profile.type !== resource.resourceType) {
          issues.push({
            severity: 'error',
            code: 'invalid',
            details: { text: `Profile ${url} constrains ${profile.type ?? 'another type'}, not ${resource.resourceType}` },
            expression: [`${resource.resourceType}.meta.profile[${index}]`]
          })
        } else {
          issues.push(...asGatewayIssues(profileIssues(resource, profile)))
          structurallyChecked = true
        }
      }
      if (!structurallyChecked) issues.unshift(...structuralIssues(resource))
      const errors = issues.filter(i => i.severity === 'error' || i.severity === 'fatal')
      if (errors.length > 0) throw new GatewayError('unprocessable', 'Resource failed validation', { issues: errors })
      return issues.filter(i => i.severity === 'warning')
    }
  }
}

/**
 * Medplum's base-definition pass; it throws on structural errors and returns warnings otherwise.
 * A resource the quick pass clears would get no issue from it, so it is not run for those.
 */
function structuralIssues (resource: Resource): OperationOutcomeIssue[] {
  if (passesQuickStructure(resource)) return []
  let issues: OperationOutcomeIssue[]
  try {
    issues = validateResource(resource)
  } catch (err) {
    if (err instanceof OperationOutcomeError) issues = err.outcome.issue ?? []
    else throw err
  }
  return asGatewayIssues(issues)
}

// Reference target-type mismatches come back as warnings; checkReferenceFormats owns the
// format itself, and a wrongly typed relative reference is an error for us.
function asGatewayIssues (issues: OperationOutcomeIssue[]): OperationOutcomeIssue[] {
  return issues.map(issue => isWrongTargetType(issue) ? { ...issue, severity: 'error' } : issue)
}

/**
 * Contained resources name a FHIR type (letters only). Checked here because the parsed-profile
 * cache (profile-schemas.ts) files profiles in medplum's schema table under URL keys.
 */
function checkContainedTypes (resource: Resource): OperationOutcomeIssue[] {
  const contained = (resource as { contained?: Array<{ resourceType?: unknown }> }).contained
  if (!Array.isArray(contained)) return []
  return contained.flatMap((entry, index) => typeof entry?.resourceType === 'string' && /^[A-Z][A-Za-z]*$/.test(entry.resourceType)
    ? []
    : [{ severity: 'error' as const, code: 'structure' as const, details: { text: 'A contained resource needs a FHIR resource type' }, expression: [`${resource.resourceType}.contained[${index}].resourceType`] }])
}

function isWrongTargetType (issue: OperationOutcomeIssue): boolean {
  const text = issue.details?.text ?? ''
  // Medplum names the referenced type it found ("got \"Practitioner\"") when it could read one.
  return issue.severity === 'warning' && /^Invalid reference: got "[A-Z][A-Za-z]+"/.test(text)
}
