/** The rows a resource contributes to the search index tables, one list per table. */
export interface TokenRow { code: string, system: string | null, value: string | null }
export interface StringRow { code: string, folded: string, exact: string }
export interface ReferenceRow { code: string, targetType: string | null, targetId: string | null, url: string | null }
/** Instants as ISO strings; null means unbounded (open Period end). */
export interface DateRow { code: string, low: string | null, high: string | null }
export interface QuantityRow { code: string, system: string | null, unit: string | null, low: number | null, high: number | null }
export interface UriRow { code: string, value: string }
export interface CompositeRow {
  code: string
  system: string | null
  value: string | null
  /** The second component, in whichever columns its type uses. */
  second: { token?: TokenRow, quantity?: QuantityRow, date?: DateRow, string?: StringRow }
}

export interface IndexRows {
  token: TokenRow[]
  string: StringRow[]
  reference: ReferenceRow[]
  date: DateRow[]
  number: QuantityRow[]
  quantity: QuantityRow[]
  uri: UriRow[]
  composite: CompositeRow[]
}

export function emptyIndexRows (): IndexRows {
  return { token: [], string: [], reference: [], date: [], number: [], quantity: [], uri: [], composite: [] }
}
