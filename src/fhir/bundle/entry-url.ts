/** Parses a Bundle.entry.request.url (relative to the base, or absolute under it). */
import { GatewayError } from '../../errors.js'

export interface EntryTarget {
  readonly type: string
  readonly id?: string
  readonly versionId?: string
  /** The query of a search or conditional interaction, without '?'. */
  readonly query?: string
}

export function parseEntryUrl (url: string, fhirBaseUrl: string, expression: string): EntryTarget {
  const relative = url.startsWith(fhirBaseUrl + '/') ? url.slice(fhirBaseUrl.length + 1) : url.replace(/^\//, '')
  const [path = '', query] = splitOnce(relative, '?')
  const segments = path.split('/')
  const [type = '', id, historyMarker, versionId] = segments
  const valid = /^[A-Z][A-Za-z]+$/.test(type) &&
    (segments.length === 1 || segments.length === 2 || (segments.length === 4 && historyMarker === '_history'))
  if (!valid) throw new GatewayError('invalid', `Bundle entry request.url "${url}" is not [type], [type]/[id] or [type]?[query]`, { expression })
  return {
    type,
    ...(id === undefined || id === '' ? {} : { id }),
    ...(versionId === undefined ? {} : { versionId }),
    ...(query === undefined ? {} : { query })
  }
}

function splitOnce (text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator)
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)]
}
