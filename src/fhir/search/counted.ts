/** SEARCH_COUNTED entries (`Type?param=value&…`) as parsed searches, checked at startup. */
import type { SearchSettings } from './execute.js'
import { parseSearch } from './parse.js'
import type { SearchQuery } from './query.js'

export function parseCountedSearch (settings: SearchSettings, text: string): SearchQuery {
  const at = text.indexOf('?')
  const type = at < 0 ? text : text.slice(0, at)
  if (!/^[A-Z][A-Za-z]+$/.test(type) || settings.registry.params(type).size === 0) throw new Error(`SEARCH_COUNTED: ${text}: ${type} is not a searchable resource type`)
  return parseSearch([type], new URLSearchParams(at < 0 ? '' : text.slice(at + 1)), {
    registry: settings.registry, defaultCount: settings.defaultCount, maxCount: settings.maxCount, lenient: false, fhirBaseUrl: settings.fhirBaseUrl
  })
}
