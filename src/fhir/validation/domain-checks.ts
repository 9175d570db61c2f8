/**
 * The gateway's own checks on one resource, run by the validator on every write after the R4
 * checks: NHS numbers (Modulus 11) and their verification status wherever they appear, codes of
 * the CodeSystems we hold, required bindings of held profiles, outcome instrument ranges and
 * referral Task reasons. One walk over the resource finds identifiers and codings together.
 */
import type { Coding, Identifier, Observation, OperationOutcomeIssue, Resource, StructureDefinition, Task } from '@medplum/fhirtypes'
import { NHS_NUMBER_SYSTEM } from '../../terminology/systems.js'
import { nhsNumberProblem, VERIFICATION_STATUS_ENGLAND, VERIFICATION_STATUS_EXTENSION, VERIFICATION_STATUS_RETIRED } from '../../terminology/nhs-number.js'
import type { Terminology } from '../../terminology/terminology.js'
import { checkOutcomeObservation } from '../../workflow/outcome-checks.js'
import { checkReferralTask } from '../../workflow/task-states.js'
import { buildProfileBindingIndex, checkProfileBindings } from './profile-bindings.js'

export type DomainChecks = (resource: Resource) => OperationOutcomeIssue[]

const VERIFICATION_SYSTEMS = new Set([VERIFICATION_STATUS_ENGLAND, VERIFICATION_STATUS_RETIRED])

export function createDomainChecks (terminology: Terminology, profiles: ReadonlyMap<string, StructureDefinition>): DomainChecks {
  const profileBindings = buildProfileBindingIndex(profiles, terminology)
  return (resource) => {
    const issues: OperationOutcomeIssue[] = []
    walk(resource, [resource.resourceType], terminology, issues)
    issues.push(...checkProfileBindings(profileBindings, resource))
    if (resource.resourceType === 'Observation') issues.push(...checkOutcomeObservation(resource as Observation))
    if (resource.resourceType === 'Task') issues.push(...checkReferralTask(resource as Task))
    return issues
  }
}

/** `path` is a stack of segments, joined only when something is reported. */
function walk (value: unknown, path: string[], terminology: Terminology, issues: OperationOutcomeIssue[]): void {
  if (Array.isArray(value)) {
    const last = path.length - 1
    const name = path[last] as string
    for (let i = 0; i < value.length; i++) {
      path[last] = `${name}[${i}]`
      walk(value[i], path, terminology, issues)
    }
    path[last] = name
    return
  }
  if (value === null || typeof value !== 'object') return
  const object = value as Record<string, unknown>
  const system = object.system
  if (typeof system === 'string') {
    if (system === NHS_NUMBER_SYSTEM && typeof object.value === 'string') checkNhsNumber(object as Identifier, path, issues)
    else if (typeof object.code === 'string') checkCoding(object as Coding, path, terminology, issues)
  }
  if (object.url === VERIFICATION_STATUS_EXTENSION) checkVerificationStatus(object, path, issues)
  for (const key in object) {
    // Narrative holds no codes or identifiers; contained resources are walked like the rest.
    if (key === 'text' || key === 'div') continue
    const child = object[key]
    if (child === null || typeof child !== 'object') continue
    path.push(key)
    walk(child, path, terminology, issues)
    path.pop()
  }
}

function checkNhsNumber (identifier: Identifier, path: string[], issues: OperationOutcomeIssue[]): void {
  const problem = nhsNumberProblem(identifier.value as string)
  if (problem !== undefined) {
    issues.push({ severity: 'error', code: 'invalid', details: { text: problem }, expression: [`${path.join('.')}.value`] })
  }
}

function checkCoding (coding: Coding, path: string[], terminology: Terminology, issues: OperationOutcomeIssue[]): void {
  const system = coding.system as string
  if (!terminology.isCompleteSystem(system) || terminology.lookup(system, coding.code as string) !== undefined) return
  issues.push({
    severity: 'error',
    code: 'code-invalid',
    details: { text: `Code "${coding.code ?? ''}" is not defined in CodeSystem ${system}` },
    expression: [`${path.join('.')}.code`]
  })
}

function checkVerificationStatus (extension: Record<string, unknown>, path: string[], issues: OperationOutcomeIssue[]): void {
  const codings = (extension.valueCodeableConcept as { coding?: Coding[] } | undefined)?.coding ?? []
  if (codings.some(c => c.system !== undefined && VERIFICATION_SYSTEMS.has(c.system))) return
  issues.push({
    severity: 'error',
    code: 'code-invalid',
    details: { text: `NHS number verification status needs a coding from ${VERIFICATION_STATUS_ENGLAND} (or the retired ${VERIFICATION_STATUS_RETIRED})` },
    expression: [`${path.join('.')}.valueCodeableConcept`]
  })
}
