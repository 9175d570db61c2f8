/**
 * Required bindings of the profiles we hold to the ValueSets we hold (profiles/): @medplum/core
 * checks a profile's structure but not its terminology. Paths are parsed once at start; a write
 * that claims no held profile pays nothing here.
 */
import { parseFhirPath, toTypedValue, type FhirPathAtom } from '@medplum/core'
import type { CodeableConcept, Coding, OperationOutcomeIssue, Resource, StructureDefinition } from '@medplum/fhirtypes'
import type { ExpandedValueSet, Terminology } from '../../terminology/terminology.js'

interface ProfileBinding {
  readonly path: string
  readonly expression: FhirPathAtom
  readonly url: string
  readonly valueSet: ExpandedValueSet
}

export type ProfileBindingIndex = ReadonlyMap<string, readonly ProfileBinding[]>

export function buildProfileBindingIndex (profiles: ReadonlyMap<string, StructureDefinition>, terminology: Terminology): ProfileBindingIndex {
  const index = new Map<string, ProfileBinding[]>()
  for (const [url, profile] of profiles) {
    const bindings: ProfileBinding[] = []
    for (const element of profile.snapshot?.element ?? []) {
      const valueSetUrl = element.binding?.valueSet
      if (element.binding?.strength !== 'required' || valueSetUrl === undefined || element.path.includes('[x]')) continue
      const valueSet = terminology.valueSet(valueSetUrl)
      if (valueSet === undefined) continue
      bindings.push({ path: element.path, expression: parseFhirPath(element.path), url: valueSetUrl, valueSet })
    }
    if (bindings.length > 0) index.set(url, bindings)
  }
  return index
}

export function checkProfileBindings (index: ProfileBindingIndex, resource: Resource): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = []
  for (const claimed of resource.meta?.profile ?? []) {
    const bindings = index.get(claimed.split('|')[0] ?? claimed)
    if (bindings === undefined) continue
    const input = [toTypedValue(resource)]
    for (const binding of bindings) {
      const values = binding.expression.eval({ variables: {} }, input)
      values.forEach(({ value }, position) => {
        const problem = bindingProblem(value, binding.valueSet)
        if (problem === undefined) return
        issues.push({
          severity: 'error',
          code: 'code-invalid',
          details: { text: `${problem} the required value set ${binding.url}` },
          expression: [values.length > 1 ? `${binding.path}[${position}]` : binding.path]
        })
      })
    }
  }
  return issues
}

function bindingProblem (value: unknown, valueSet: ExpandedValueSet): string | undefined {
  const inSet = (coding: Coding): boolean => coding.system !== undefined && coding.code !== undefined && valueSet.index.get(coding.system)?.has(coding.code) === true
  if (typeof value === 'string') {
    return [...valueSet.index.values()].some(codes => codes.has(value)) ? undefined : `Code "${value}" is not in`
  }
  if (value === null || typeof value !== 'object') return undefined
  if ('coding' in value || 'text' in value) {
    const codings = (value as CodeableConcept).coding ?? []
    return codings.some(inSet) ? undefined : `None of the codings (${codings.map(c => `${c.system ?? ''}|${c.code ?? ''}`).join(', ') || 'none'}) is in`
  }
  if ('code' in value || 'system' in value) {
    const coding = value as Coding
    return inSet(coding) ? undefined : `${coding.system ?? ''}|${coding.code ?? ''} is not in`
  }
  return undefined
}
