/**
 * Compound index entries: a token, a date and a quantity of one resource together, for searches
 * that combine them and need all three to be selective (bench:search Q5: SWEMWBS scores in a
 * quarter below a threshold). Derived from the resource's ordinary index rows, so a compound
 * never disagrees with the parameters it combines.
 */
import type { IndexRows, TokenRow } from './index-rows.js'

export interface CompoundIndex {
  readonly name: string
  readonly type: string
  /** Search parameter codes: a token, a date, and optionally a quantity. */
  readonly token: string
  readonly date: string
  readonly quantity?: string | undefined
}

/** The compounds this server keeps. Adding one here fills it from the index tables at start. */
export const COMPOUND_INDEXES: readonly CompoundIndex[] = [
  { name: 'Observation.code-date-value', type: 'Observation', token: 'code', date: 'date', quantity: 'value-quantity' }
]

export interface CompoundRow {
  readonly name: string
  readonly single: boolean
  readonly point: boolean
  readonly system: string | null
  readonly value: string | null
  readonly dLow: string | null
  readonly dHigh: string | null
  /** A quantity's value (its range); units and systems stay in search_quantity. */
  readonly quantity: { readonly low: number | null, readonly high: number | null } | null
}

/** How long a point may last; compound-fill.ts and search-compound.ts use the same day. */
export const DAY_MS = 86_400_000
/** Instants Date.parse reads exactly (sqlInstant writes other years in PostgreSQL's own form). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T/

/**
 * The compound rows of a resource of `type`: every token × the one date × every distinct quantity
 * value (or none). A quantity has a row per unit form in search_quantity; here it needs one.
 */
export function compoundRows (type: string, rows: IndexRows, compounds: readonly CompoundIndex[] = COMPOUND_INDEXES): CompoundRow[] {
  const out: CompoundRow[] = []
  for (const compound of compounds) {
    if (compound.type !== type) continue
    const dates = rows.date.filter(d => d.code === compound.date)
    if (dates.length === 0) continue
    if (dates.length > 1) {
      out.push({ name: compound.name, single: false, point: false, system: null, value: null, dLow: null, dHigh: null, quantity: null })
      continue
    }
    const [date] = dates
    if (date === undefined) continue
    const point = isPoint(date.low, date.high)
    const tokens: TokenRow[] = rows.token.filter(t => t.code === compound.token)
    const quantities = compound.quantity === undefined ? [null] : distinctValues(rows.quantity.filter(q => q.code === compound.quantity))
    for (const token of tokens) {
      for (const quantity of quantities) {
        out.push({ name: compound.name, single: true, point, system: token.system, value: token.value, dLow: date.low, dHigh: date.high, quantity })
      }
    }
  }
  return out
}

function distinctValues (quantities: ReadonlyArray<{ low: number | null, high: number | null }>): Array<CompoundRow['quantity']> {
  const seen = new Map<string, CompoundRow['quantity']>()
  for (const { low, high } of quantities) seen.set(`${String(low)} ${String(high)}`, { low, high })
  return seen.size === 0 ? [null] : [...seen.values()]
}

/**
 * Whether a date row spans at most a day (and does not end before it starts). Open ends, and
 * years PostgreSQL writes in its own form, are not points; the SQL fill (compound-fill.ts)
 * decides the same way.
 */
function isPoint (low: string | null, high: string | null): boolean {
  if (low === null || high === null || !ISO_INSTANT.test(low) || !ISO_INSTANT.test(high)) return false
  const span = Date.parse(high) - Date.parse(low)
  return span >= 0 && span <= DAY_MS
}
