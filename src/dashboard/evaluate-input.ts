/**
 * The inputs of Measure/$evaluate-measure (https://hl7.org/fhir/R4/measure-operation-evaluate-measure.html)
 * as this gateway supports them, from the query string or a Parameters body: periodStart and
 * periodEnd (required), reportType (only `summary`), and `population` — the gateway's own
 * parameter for rates, one per age band as `<band>:<people>` (e.g. `65+:41250`).
 */
import type { Parameters } from '@medplum/fhirtypes'
import { GatewayError } from '../errors.js'
import { OBSERVATORY_AGE_BANDS } from './age-bands.js'
import type { Period } from './gather-participants.js'
import type { PopulationByBand } from './profile-summary.js'

export interface EvaluateMeasureInput {
  readonly period: Period
  readonly population: PopulationByBand
}

const SUPPORTED = new Set(['periodStart', 'periodEnd', 'reportType', 'population'])
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/

export function evaluateMeasureInput (query: URLSearchParams, body: unknown): EvaluateMeasureInput {
  const values = new Map<string, string[]>()
  const add = (name: string, value: string): void => { values.set(name, [...(values.get(name) ?? []), value]) }
  for (const [name, value] of query) if (!name.startsWith('_')) add(name, value)
  if (body !== undefined && body !== null && typeof body === 'object' && !(body instanceof URLSearchParams)) {
    const parameters = body as Parameters
    if (parameters.resourceType !== 'Parameters') throw new GatewayError('invalid', 'The body of $evaluate-measure must be a Parameters resource', { expression: 'resourceType' })
    for (const p of parameters.parameter ?? []) {
      const value = p.valueDate ?? p.valueDateTime ?? p.valueString ?? p.valueCode
      if (typeof p.name !== 'string' || value === undefined) throw new GatewayError('invalid', `Parameter "${p.name ?? ''}" needs a date, string or code value`, { expression: `parameter.where(name='${p.name ?? ''}')` })
      add(p.name, value)
    }
  }
  for (const name of values.keys()) {
    if (!SUPPORTED.has(name)) throw new GatewayError('not-supported', `$evaluate-measure parameter "${name}" is not supported`, { expression: name })
  }
  const reportType = single(values, 'reportType')
  if (reportType !== undefined && reportType !== 'summary') {
    throw new GatewayError('not-supported', `reportType "${reportType}" is not supported: dashboards get summary reports only`, { expression: 'reportType' })
  }
  const start = requiredDate(values, 'periodStart')
  const end = requiredDate(values, 'periodEnd')
  if (end < start) throw new GatewayError('invalid', 'periodEnd is before periodStart', { expression: 'periodEnd' })
  return { period: { start, end }, population: populationOf(values.get('population') ?? []) }
}

function single (values: Map<string, string[]>, name: string): string | undefined {
  const all = values.get(name) ?? []
  if (all.length > 1) throw new GatewayError('invalid', `Parameter "${name}" may appear once`, { expression: name })
  return all[0]
}

function requiredDate (values: Map<string, string[]>, name: string): string {
  const value = single(values, name)
  if (value === undefined) throw new GatewayError('invalid', `Parameter "${name}" is required`, { expression: name })
  if (!DATE.test(value)) throw new GatewayError('invalid', `Parameter "${name}" must be a date (YYYY-MM-DD)`, { expression: name })
  return value
}

function populationOf (entries: readonly string[]): PopulationByBand {
  const bands = new Map<string, number>()
  for (const entry of entries.flatMap(e => e.split(','))) {
    const [band, people, ...rest] = entry.split(':').map(part => part.trim())
    const count = Number(people)
    if (rest.length > 0 || band === undefined || !OBSERVATORY_AGE_BANDS.some(b => b.code === band) || !Number.isInteger(count) || count <= 0) {
      throw new GatewayError('invalid', `Parameter "population": "${entry}" must be <band>:<people> with a band of ${OBSERVATORY_AGE_BANDS.map(b => b.code).join(', ')} and a positive whole number`, { expression: 'population' })
    }
    if (bands.has(band)) throw new GatewayError('invalid', `Parameter "population" gives band ${band} twice`, { expression: 'population' })
    bands.set(band, count)
  }
  return bands
}
