/**
 * `uk-date`: a UK date `dd/MM/yyyy` (one-digit day and month accepted, as forms send them) to a
 * FHIR date `yyyy-MM-dd`. An impossible date (31/02/2024) is a problem, not a rollover.
 */
import type { StepDefinition } from './step.js'

const UK_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/

export function ukDateToFhir (text: string): string | undefined {
  const match = UK_DATE.exec(text.trim())
  if (match === null) return undefined
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

export const ukDateStep: StepDefinition = {
  name: 'uk-date',
  description: 'A UK date dd/MM/yyyy becomes a FHIR date yyyy-MM-dd; an impossible date is a problem',
  scope: 'value',
  checkOptions: () => undefined,
  apply (value) {
    if (typeof value !== 'string') return { problem: 'must be a date written dd/MM/yyyy' }
    const date = ukDateToFhir(value)
    return date === undefined ? { problem: 'is not a real date in the form dd/MM/yyyy' } : { value: date }
  }
}
