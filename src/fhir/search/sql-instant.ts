/**
 * An instant as PostgreSQL reads it. toISOString writes years past 9999 as "+010000-…", which
 * PostgreSQL refuses; a valid R4 dateTime such as 9999-12-31T23:59:59-01:00 lands there.
 */
export function sqlInstant (date: Date): string {
  const year = date.getUTCFullYear()
  if (year >= 1 && year <= 9999) return date.toISOString()
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`
  return `${year > 0 ? year : `${1 - year}`}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${time}+00${year > 0 ? '' : ' BC'}`
}
