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
import { checkReferenceFormats } from './references.js'
import { buildRequiredBindingIndex, checkRequiredBindings, type RequiredBindingIndex } from './required-bindings.js'

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
        ...structuralIssues(resource, undefined),
        ...checkRequiredBindings(requiredBindings, resource),
        ...checkReferenceFormats(resource),
        ...(options.domainChecks?.(resource) ?? [])
      ]
      for (const [index, url] of (resource.meta?.profile ?? []).entries()) {
        const profile = options.profiles.get(url.split('|')[0] ?? url)
        if (profile !== undefined) {
          issues.push(...structuralIssues(resource, profile))
        } else {
          issues.push({
            severity: options.unknownProfile === 'reject' ? 'error' : 'warning',
            code: 'not-supported',
            details: { text: `Profile ${url} is not held by this server, so the resource cannot be checked against it` },
            expression: [`${resource.resourceType}.meta.profile[${index}]`]
          })
        }
      }
      const errors = issues.filter(i => i.severity === 'error' || i.severity === 'fatal')
      if (errors.length > 0) throw new GatewayError('unprocessable', 'Resource failed validation', { issues: errors })
      return issues.filter(i => i.severity === 'warning')
    }
  }
}

/** Medplum throws on the first structural errors and returns warnings otherwise. */
function structuralIssues (resource: Resource, profile: StructureDefinition | undefined): OperationOutcomeIssue[] {
  let issues: OperationOutcomeIssue[]
  try {
    issues = validateResource(resource, profile === undefined ? {} : { profile })
  } catch (err) {
    if (err instanceof OperationOutcomeError) issues = err.outcome.issue ?? []
    else throw err
  }
  // Reference target-type mismatches come back as warnings; checkReferenceFormats owns the
  // format itself, and a wrongly typed relative reference is an error for us.
  return issues.map(issue => isWrongTargetType(issue) ? { ...issue, severity: 'error' } : issue)
}

function isWrongTargetType (issue: OperationOutcomeIssue): boolean {
  const text = issue.details?.text ?? ''
  // Medplum names the referenced type it found ("got \"Practitioner\"") when it could read one.
  return issue.severity === 'warning' && /^Invalid reference: got "[A-Z][A-Za-z]+"/.test(text)
}
