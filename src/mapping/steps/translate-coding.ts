/**
 * `translate-coding`: a sender's own code becomes the whole Coding a ConceptMap of the mapping
 * folder (`*.conceptmap.json`) maps it to: `{ system, code, display }`. FML's translate() in
 * @medplum/core returns only the target code, so a map whose targets span code systems (SNOMED CT
 * for WEMWBS, the gateway's outcome-measure system for ONS4) could not say which system. Option
 * `conceptMap`: one url, or a list tried in order (one ConceptMap per target system). A code no
 * ConceptMap knows is reported here, not silently dropped.
 */
import type { ConceptMap, Coding } from '@medplum/fhirtypes'
import type { StepDefinition, StepOptions } from './step.js'

export function translateToCoding (conceptMap: ConceptMap, code: string): Coding | undefined {
  for (const group of conceptMap.group ?? []) {
    const target = group.element?.find(element => element.code === code)?.target?.[0]
    if (target?.code !== undefined && group.target !== undefined) {
      return { system: group.target, code: target.code, ...(target.display === undefined ? {} : { display: target.display }) }
    }
  }
  return undefined
}

function urlsOf (options: StepOptions): string[] | undefined {
  const option = options.conceptMap
  if (typeof option === 'string') return [option]
  if (Array.isArray(option) && option.length > 0 && option.every(url => typeof url === 'string')) return option as string[]
  return undefined
}

export const translateCodingStep: StepDefinition = {
  name: 'translate-coding',
  description: 'A code becomes the Coding (system, code, display) that the named ConceptMap(s) of the mapping map it to; an unmapped code is a problem',
  scope: 'value',
  checkOptions (options, env) {
    const urls = urlsOf(options)
    if (urls === undefined) return 'needs conceptMap: the url of one of the mapping\'s ConceptMaps, or a list of them'
    const missing = urls.find(url => !env.conceptMaps.has(url))
    return missing === undefined ? undefined : `no ConceptMap ${missing} in the mapping folder`
  },
  apply (value, options, env) {
    if (typeof value !== 'string') return { problem: 'must be a code' }
    const urls = urlsOf(options) ?? []
    for (const url of urls) {
      const conceptMap = env.conceptMaps.get(url)
      const coding = conceptMap === undefined ? undefined : translateToCoding(conceptMap, value)
      if (coding !== undefined) return { value: coding }
    }
    return { problem: `${JSON.stringify(value)} is not a code this mapping knows (ConceptMap ${urls.join(', ')})` }
  }
}
