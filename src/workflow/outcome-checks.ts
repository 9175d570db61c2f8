/**
 * Outcome Observations checked against their instrument (instruments.ts): survey category, the
 * value in range, known item components in range, the right number of items, and items that add
 * up to the score. Applies to every Observation whose code names an instrument, whether or not it
 * claims the instrument's profile: a score of 71 on WEMWBS is wrong either way.
 */
import type { Observation, ObservationComponent, OperationOutcomeIssue } from '@medplum/fhirtypes'
import { OBSERVATION_CATEGORY } from '../terminology/systems.js'
import { instrumentFor, type Instrument, type InstrumentItem, type Range } from './instruments.js'

export function checkOutcomeObservation (observation: Observation): OperationOutcomeIssue[] {
  const instrument = instrumentFor(observation.code?.coding)
  if (instrument === undefined) return []
  const issues: OperationOutcomeIssue[] = []
  const fail = (text: string, expression: string): void => {
    issues.push({ severity: 'error', code: 'business-rule', details: { text }, expression: [expression] })
  }
  const isSurvey = (observation.category ?? []).some(c => (c.coding ?? []).some(coding => coding.system === OBSERVATION_CATEGORY && coding.code === 'survey'))
  if (!isSurvey) fail(`A ${instrument.title} Observation needs category ${OBSERVATION_CATEGORY}|survey`, 'Observation.category')

  const value = numericValue(observation)
  if (instrument.value === undefined) {
    if (value !== undefined) fail(`${instrument.title} has no single score: record its items as components, not Observation.value`, 'Observation.value')
  } else if (value !== undefined) {
    const problem = rangeProblem(value.number, instrument.value)
    if (problem !== undefined) fail(`${instrument.title} score ${value.number} ${problem}`, value.path)
  } else if (observation.valueString !== undefined || observation.valueCodeableConcept !== undefined || observation.valueBoolean !== undefined) {
    fail(`${instrument.title} score must be valueInteger or valueQuantity`, 'Observation.value')
  } else if (observation.dataAbsentReason === undefined && isFinal(observation) && (observation.component ?? []).length === 0) {
    fail(`A final ${instrument.title} Observation needs a score in value[x] (or a dataAbsentReason)`, 'Observation.value')
  }

  const items = new Map<string, number>()
  for (const [index, component] of (observation.component ?? []).entries()) {
    const at = `Observation.component[${index}]`
    const known = componentItem(instrument, component)
    if (known === undefined) {
      fail(`Component code ${codeText(component)} is not an item of ${instrument.title}`, `${at}.code`)
      continue
    }
    const key = `${known.code.system}|${known.code.code}`
    if (items.has(key)) {
      fail(`${instrument.title} item ${known.label} appears more than once`, `${at}.code`)
      continue
    }
    const componentValue = numericValue(component)
    if (componentValue === undefined) {
      if (component.dataAbsentReason === undefined) fail(`${instrument.title} item ${known.label} needs valueInteger or valueQuantity`, `${at}.value`)
      continue
    }
    const problem = rangeProblem(componentValue.number, known)
    if (problem !== undefined) fail(`${instrument.title} item ${known.label} score ${componentValue.number} ${problem}`, `${at}.${componentValue.path.replace('Observation.', '')}`)
    items.set(key, componentValue.number)
  }

  const presentItems = instrument.items.filter(i => items.has(`${i.code.system}|${i.code.code}`))
  const count = presentItems.length
  const total = instrument.items.length
  if (instrument.itemsRequired && count < total) {
    fail(`${instrument.title} needs all ${total} item components; found ${count}`, 'Observation.component')
  } else if (instrument.minItems !== undefined && value === undefined && count < instrument.minItems) {
    fail(`${instrument.title} needs at least ${instrument.minItems} item component(s); found ${count}`, 'Observation.component')
  } else if (!instrument.itemsRequired && instrument.minItems === undefined && count > 0 && count < total) {
    fail(`${instrument.title} item components come all ${total} together or not at all; found ${count}`, 'Observation.component')
  }
  if (instrument.itemsSumToValue && count === total && total > 0 && value !== undefined && issues.length === 0) {
    const sum = presentItems.reduce((acc, i) => acc + (items.get(`${i.code.system}|${i.code.code}`) ?? 0), 0)
    if (sum !== value.number) fail(`${instrument.title} items add up to ${sum}, but the score is ${value.number}`, value.path)
  }
  return issues
}

function isFinal (observation: Observation): boolean {
  return observation.status === 'final' || observation.status === 'amended' || observation.status === 'corrected'
}

function componentItem (instrument: Instrument, component: ObservationComponent): InstrumentItem | undefined {
  for (const coding of component.code?.coding ?? []) {
    const found = [...instrument.items, ...instrument.derived].find(i => i.code.system === coding.system && i.code.code === coding.code)
    if (found !== undefined) return found
  }
  return undefined
}

function numericValue (element: Observation | ObservationComponent): { number: number, path: string } | undefined {
  if (typeof element.valueInteger === 'number') return { number: element.valueInteger, path: 'Observation.valueInteger' }
  if (typeof element.valueQuantity?.value === 'number') return { number: element.valueQuantity.value, path: 'Observation.valueQuantity.value' }
  return undefined
}

function rangeProblem (value: number, range: Range): string | undefined {
  if (value < range.min || value > range.max) return `is outside the valid range ${range.min}–${range.max}`
  if (range.integer && !Number.isInteger(value)) return 'must be a whole number'
  return undefined
}

function codeText (component: ObservationComponent): string {
  const coding = component.code?.coding?.[0]
  return coding === undefined ? '(none)' : `${coding.system ?? ''}|${coding.code ?? ''}`
}
