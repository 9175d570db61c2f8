/** The metadata every generated conformance resource carries. */
const PUBLISHER = 'Social Prescribing FHIR Gateway'
const DATE = '2026-11-21'
const VERSION = '0.1.0'

export interface Metadata {
  readonly version: string
  readonly name: string
  readonly title?: string
  readonly status: 'active'
  readonly experimental: boolean
  readonly date: string
  readonly publisher: string
  readonly description: string
}

/**
 * `name` defaults to the title without spaces or punctuation (a computer-friendly name); no
 * title for types without one (SearchParameter).
 */
export function metadata (title: string | undefined, description: string, name = (title ?? '').replace(/[^A-Za-z0-9]/g, '')): Metadata {
  return { version: VERSION, name, ...(title === undefined ? {} : { title }), status: 'active', experimental: false, date: DATE, publisher: PUBLISHER, description }
}
