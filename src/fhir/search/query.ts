/** A parsed FHIR search: what to match, how to order and page, and what to add or leave out. */
import type { SearchParamDef } from './registry.js'

export type Prefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb' | 'ap'

export interface TokenValue { readonly system: string | null | undefined, readonly code: string | undefined }
/** low/high as PostgreSQL instants, and as epoch milliseconds for arithmetic. */
export interface RangeValue { readonly prefix: Prefix, readonly low: string, readonly high: string, readonly lowMs: number, readonly highMs: number }
export interface NumberValue { readonly prefix: Prefix, readonly value: number, readonly low: number, readonly high: number }
export interface QuantityValue extends NumberValue { readonly system: string | undefined, readonly unit: string | undefined }
export interface ReferenceValue { readonly type: string | undefined, readonly id: string | undefined, readonly url: string | undefined }

export type Condition =
  | { readonly kind: 'token', readonly param: SearchParamDef, readonly modifier: 'none' | 'not' | 'of-type' | 'identifier', readonly values: readonly TokenValue[] }
  | { readonly kind: 'token-text', readonly param: SearchParamDef, readonly values: readonly string[] }
  | { readonly kind: 'token-in', readonly param: SearchParamDef, readonly negate: boolean, readonly valueSet: string }
  | { readonly kind: 'string', readonly param: SearchParamDef, readonly modifier: 'none' | 'exact' | 'contains', readonly values: readonly string[] }
  | { readonly kind: 'reference', readonly param: SearchParamDef, readonly values: readonly ReferenceValue[] }
  | { readonly kind: 'date', readonly param: SearchParamDef, readonly values: readonly RangeValue[] }
  | { readonly kind: 'number', readonly param: SearchParamDef, readonly values: readonly NumberValue[] }
  | { readonly kind: 'quantity', readonly param: SearchParamDef, readonly values: readonly QuantityValue[] }
  | { readonly kind: 'uri', readonly param: SearchParamDef, readonly modifier: 'none' | 'below' | 'above', readonly values: readonly string[] }
  | { readonly kind: 'composite', readonly param: SearchParamDef, readonly values: ReadonlyArray<{ readonly token: TokenValue, readonly second: SecondValue }> }
  | { readonly kind: 'missing', readonly param: SearchParamDef, readonly missing: boolean }
  | { readonly kind: 'id', readonly values: readonly string[], readonly negate: boolean }
  | { readonly kind: 'last-updated', readonly values: readonly RangeValue[] }
  | { readonly kind: 'chain', readonly param: SearchParamDef, readonly targetTypes: readonly string[], readonly inner: Condition }
  | { readonly kind: 'has', readonly sourceType: string, readonly param: SearchParamDef, readonly inner: Condition }

export type SecondValue =
  | { readonly kind: 'quantity', readonly value: QuantityValue }
  | { readonly kind: 'token', readonly value: TokenValue }
  | { readonly kind: 'date', readonly value: RangeValue }
  | { readonly kind: 'string', readonly value: string }

export type SortKind = 'text' | 'timestamptz' | 'numeric'

export interface SortKey {
  /** Undefined for _id and _lastUpdated. */
  readonly param: SearchParamDef | undefined
  readonly code: string
  readonly descending: boolean
}

export interface IncludeSpec {
  readonly sourceType: string
  /** Reference parameter codes; all of the source type's for '*'. */
  readonly codes: readonly string[]
  readonly targetType: string | undefined
  readonly iterate: boolean
}

export interface SearchQuery {
  readonly types: readonly string[]
  /** ANDed; each condition ORs its own values. */
  readonly conditions: readonly Condition[]
  readonly sort: readonly SortKey[]
  readonly count: number
  readonly cursor: string | undefined
  readonly include: readonly IncludeSpec[]
  readonly revinclude: readonly IncludeSpec[]
  readonly total: 'none' | 'estimate' | 'accurate' | undefined
  readonly summary: 'true' | 'false' | 'text' | 'data' | 'count' | undefined
  readonly elements: readonly string[] | undefined
  /** Parameters ignored under Prefer: handling=lenient, with why. */
  readonly ignored: ReadonlyArray<{ readonly name: string, readonly reason: string }>
  /** The query as received, without _cursor, for Bundle links. */
  readonly params: URLSearchParams
}
