/**
 * Required terminology bindings of coded elements (status, intent, gender, …). The structural
 * validator in @medplum/core checks shape and formats but not these, so a status of "bogus"
 * would otherwise be stored. Value set expansions come from the core definitions (r4-core.json).
 */
import { parseFhirPath, toTypedValue, type FhirPathAtom, type TypedValue } from '@medplum/core'
import type { OperationOutcomeIssue, Resource, StructureDefinition } from '@medplum/fhirtypes'
import { coreDefinitions } from '../definitions/core-definitions.js'
import { compileSimplePath, type CompiledPath } from '../search/compiled-path.js'

interface RequiredBinding {
  readonly path: string
  /** Parsed once: evaluating a parsed path is several times cheaper than parsing it per write. */
  readonly expression: FhirPathAtom
  /** The same path as direct property access, used when it applies (see compiled-path). */
  readonly compiled: CompiledPath | undefined
  readonly valueSet: string
  readonly codes: ReadonlySet<string>
  /** The one code system the value set draws on, if it draws on exactly one. */
  readonly system: string | undefined
}

export type RequiredBindingIndex = ReadonlyMap<string, readonly RequiredBinding[]>

/** Builds, per resource type, the code elements with a required binding we can fully expand. */
export function buildRequiredBindingIndex (definitions: ReadonlyMap<string, StructureDefinition>, types: readonly string[]): RequiredBindingIndex {
  const { valueSets } = coreDefinitions()
  const index = new Map<string, RequiredBinding[]>()
  for (const type of types) {
    const bindings: RequiredBinding[] = []
    for (const element of definitions.get(type)?.snapshot?.element ?? []) {
      const valueSetUrl = element.binding?.valueSet
      const isCode = element.type?.length === 1 && element.type[0]?.code === 'code'
      if (element.binding?.strength !== 'required' || valueSetUrl === undefined || !isCode || element.path.includes('[x]')) continue
      const expansion = valueSets[valueSetUrl.split('|')[0] ?? valueSetUrl]
      if (expansion !== undefined) {
        bindings.push({ path: element.path, expression: parseFhirPath(element.path), compiled: compileSimplePath(element.path), valueSet: valueSetUrl, codes: new Set(expansion.codes), system: expansion.system })
      }
    }
    index.set(type, bindings)
  }
  return index
}

export function checkRequiredBindings (index: RequiredBindingIndex, resource: Resource): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = []
  let input: TypedValue[] | undefined
  for (const binding of index.get(resource.resourceType) ?? []) {
    const values = binding.compiled?.(resource) ?? binding.expression.eval({ variables: {} }, input ??= [toTypedValue(resource)])
    for (const { value } of values) {
      if (typeof value === 'string' && !binding.codes.has(value)) {
        issues.push({
          severity: 'error',
          code: 'code-invalid',
          details: { text: `Value "${value}" is not in the required value set ${binding.valueSet}` },
          expression: [binding.path]
        })
      }
    }
  }
  return issues
}

/**
 * The code system a plain `code` element implies (Patient.gender → administrative-gender), by
 * element path, so search can index it as system|code.
 */
export function impliedCodeSystems (index: RequiredBindingIndex): ReadonlyMap<string, string> {
  const systems = new Map<string, string>()
  for (const bindings of index.values()) {
    for (const binding of bindings) if (binding.system !== undefined) systems.set(binding.path, binding.system)
  }
  return systems
}
