/**
 * A FHIR date, dateTime or instant as the range of instants its precision covers
 * (https://hl7.org/fhir/R4/search.html#date): "2024-03" is all of March 2024. Values without a
 * timezone are taken as UTC. Bounds are inclusive, to the millisecond.
 */
export interface DateRange {
  readonly low: Date
  readonly high: Date
}

/** Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear does not. */
function utc (year: number, month: number, day = 1, hours = 0, minutes = 0, seconds = 0): number {
  const date = new Date(0)
  date.setUTCFullYear(year, month, day)
  date.setUTCHours(hours, minutes, seconds, 0)
  return date.getTime()
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?$/

export function dateRange (value: string): DateRange | undefined {
  const date = DATE.exec(value)
  if (date !== null) {
    const [, y, m, d] = date
    const year = Number(y)
    if (m === undefined) return validRange(utc(year, 0), utc(year + 1, 0) - 1)
    const month = Number(m) - 1
    if (month > 11) return undefined
    if (d === undefined) return validRange(utc(year, month), utc(year, month + 1) - 1)
    const start = utc(year, month, Number(d))
    if (new Date(start).getUTCDate() !== Number(d)) return undefined
    return validRange(start, start + 86_400_000 - 1)
  }
  const dateTime = DATE_TIME.exec(value)
  if (dateTime === null) return undefined
  const [, y, mo, d, h, mi, s, fraction, zone] = dateTime
  const offsetMinutes = zone === undefined || zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)))
  if (Number(mo) > 12 || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return undefined
  const base = utc(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)) - offsetMinutes * 60_000
  if (new Date(utc(Number(y), Number(mo) - 1, Number(d))).getUTCDate() !== Number(d)) return undefined
  if (fraction !== undefined) {
    const digits = fraction.slice(0, 3).padEnd(3, '0')
    const low = base + Number(digits)
    // Precision finer than a millisecond is kept to the millisecond.
    const step = fraction.length >= 3 ? 1 : 10 ** (3 - fraction.length)
    return validRange(low, low + step - 1)
  }
  return validRange(base, base + (s === undefined ? 60_000 : 1_000) - 1)
}

function validRange (low: number, high: number): DateRange | undefined {
  return Number.isNaN(low) || Number.isNaN(high) ? undefined : { low: new Date(low), high: new Date(high) }
}
