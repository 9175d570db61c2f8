/**
 * A QuestionnaireResponse to one of the held Questionnaires (ONS4, SWEMWBS, UCLA-3, De Jong
 * Gierveld) is checked against it (known linkIds, answer types and ranges, required items once
 * completed) and, when it becomes completed, scored into the instrument's Observation with
 * derivedFrom pointing back at it, in the same transaction: the response and its score are
 * stored together or not at all.
 */
import type {
  Observation, ObservationComponent, OperationOutcomeIssue, Questionnaire, QuestionnaireItem,
  QuestionnaireResponse, QuestionnaireResponseItemAnswer, Reference, Resource, ServiceRequest
} from '@medplum/fhirtypes'
import { GatewayError } from '../errors.js'
import type { FhirContext } from '../fhir/interactions/context.js'
import { createResource } from '../fhir/interactions/create.js'
import type { Queryable } from '../store/database.js'
import { OBSERVATION_CATEGORY, UCUM } from '../terminology/systems.js'
import { instrumentFor, type Instrument, type InstrumentItem } from './instruments.js'
import { swemwbsMetricScore } from './swemwbs.js'

const ORDINAL = 'http://hl7.org/fhir/StructureDefinition/ordinalValue'
const MIN_VALUE = 'http://hl7.org/fhir/StructureDefinition/minValue'
const MAX_VALUE = 'http://hl7.org/fhir/StructureDefinition/maxValue'
const SCORED = new Set(['completed', 'amended'])

export type QuestionnaireIndex = ReadonlyMap<string, Questionnaire>

export function questionnaireIndex (resources: readonly Resource[]): QuestionnaireIndex {
  return new Map(resources.filter((r): r is Questionnaire => r.resourceType === 'Questionnaire' && r.url !== undefined).map(r => [r.url as string, r]))
}

function heldQuestionnaire (index: QuestionnaireIndex, response: QuestionnaireResponse): Questionnaire | undefined {
  const canonical = response.questionnaire
  return canonical === undefined ? undefined : index.get(canonical.split('|')[0] ?? canonical)
}

export function beforeQuestionnaireResponse (index: QuestionnaireIndex, response: QuestionnaireResponse): QuestionnaireResponse {
  const questionnaire = heldQuestionnaire(index, response)
  if (questionnaire === undefined) return response
  const issues = answerIssues(questionnaire, response)
  if (issues.length > 0) throw new GatewayError('unprocessable', `The response does not fit Questionnaire ${questionnaire.url ?? ''}`, { issues })
  return response
}

export async function afterQuestionnaireResponse (
  ctx: FhirContext, q: Queryable, index: QuestionnaireIndex, response: QuestionnaireResponse, previous: QuestionnaireResponse | undefined
): Promise<void> {
  if (!SCORED.has(response.status) || (previous !== undefined && SCORED.has(previous.status))) return
  const questionnaire = heldQuestionnaire(index, response)
  const instrument = instrumentFor(questionnaire?.code)
  if (questionnaire === undefined || instrument === undefined) return
  await createResource(ctx, q, scoreObservation(instrument, questionnaire, response))
}

function answerIssues (questionnaire: Questionnaire, response: QuestionnaireResponse): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = []
  const fail = (text: string, expression: string): void => { issues.push({ severity: 'error', code: 'business-rule', details: { text }, expression: [expression] }) }
  const byLinkId = new Map((questionnaire.item ?? []).map(item => [item.linkId, item]))
  const seen = new Set<string>()
  for (const [i, answered] of (response.item ?? []).entries()) {
    const at = `QuestionnaireResponse.item[${i}]`
    const item = byLinkId.get(answered.linkId)
    if (item === undefined) { fail(`linkId "${answered.linkId}" is not an item of ${questionnaire.title ?? 'the questionnaire'}`, `${at}.linkId`); continue }
    if (seen.has(answered.linkId)) { fail(`Item "${answered.linkId}" is answered more than once`, `${at}.linkId`); continue }
    seen.add(answered.linkId)
    const answers = answered.answer ?? []
    if (answers.length > 1 && item.repeats !== true) fail(`Item "${answered.linkId}" takes one answer; found ${answers.length}`, `${at}.answer`)
    answers.forEach((answer, j) => {
      const problem = answerProblem(item, answer)
      if (problem !== undefined) fail(`Item "${answered.linkId}": ${problem}`, `${at}.answer[${j}]`)
    })
  }
  if (SCORED.has(response.status)) {
    for (const item of questionnaire.item ?? []) {
      const answered = response.item?.find(a => a.linkId === item.linkId)
      if (item.required === true && (answered?.answer ?? []).length === 0) fail(`Item "${item.linkId}" (${item.text ?? ''}) is required in a completed response`, 'QuestionnaireResponse.item')
    }
  }
  return issues
}

function answerProblem (item: QuestionnaireItem, answer: QuestionnaireResponseItemAnswer): string | undefined {
  if (item.type === 'integer') {
    if (typeof answer.valueInteger !== 'number') return 'the answer must be valueInteger'
    const min = item.extension?.find(e => e.url === MIN_VALUE)?.valueInteger
    const max = item.extension?.find(e => e.url === MAX_VALUE)?.valueInteger
    if ((min !== undefined && answer.valueInteger < min) || (max !== undefined && answer.valueInteger > max)) return `${answer.valueInteger} is outside ${min ?? ''}–${max ?? ''}`
    return undefined
  }
  if (item.type === 'choice') {
    const coding = answer.valueCoding
    if (coding === undefined) return 'the answer must be valueCoding'
    return option(item, answer) === undefined ? `${coding.system ?? ''}|${coding.code ?? ''} is not one of its answer options` : undefined
  }
  return undefined
}

function option (item: QuestionnaireItem, answer: QuestionnaireResponseItemAnswer): NonNullable<QuestionnaireItem['answerOption']>[number] | undefined {
  return item.answerOption?.find(o => o.valueCoding?.system === answer.valueCoding?.system && o.valueCoding?.code === answer.valueCoding?.code)
}

/** The Observation a completed response scores to (answers already checked). */
export function scoreObservation (instrument: Instrument, questionnaire: Questionnaire, response: QuestionnaireResponse): Observation {
  const scores = new Map<string, number>()
  for (const item of questionnaire.item ?? []) {
    const answer = response.item?.find(a => a.linkId === item.linkId)?.answer?.[0]
    if (answer === undefined) continue
    const score = item.type === 'choice'
      ? option(item, answer)?.valueCoding?.extension?.find(e => e.url === ORDINAL)?.valueDecimal
      : answer.valueInteger
    if (score !== undefined) scores.set(item.linkId, score)
  }
  const components: ObservationComponent[] = instrument.items
    .filter(i => scores.has(i.code.code as string))
    .map(i => ({ code: { coding: [i.code] }, valueInteger: scores.get(i.code.code as string) as number }))
  const complete = components.length === instrument.items.length
  const total = complete && instrument.itemsSumToValue ? [...scores.values()].reduce((a, b) => a + b, 0) : undefined
  for (const [derived, value] of derive(instrument, scores, total)) {
    components.push({ code: { coding: [derived.code] }, ...(derived.integer ? { valueInteger: value } : { valueQuantity: score(value) }) })
  }
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' }] }],
    code: { coding: [instrument.code], text: instrument.title },
    ...(response.subject === undefined ? {} : { subject: response.subject as Observation['subject'] }),
    effectiveDateTime: response.authored ?? new Date().toISOString(),
    ...(response.author === undefined ? {} : { performer: [response.author as NonNullable<Observation['performer']>[number]] }),
    ...(basedOn(response).length === 0 ? {} : { basedOn: basedOn(response) }),
    derivedFrom: [{ reference: `QuestionnaireResponse/${response.id ?? ''}` }],
    ...(total === undefined ? {} : { valueQuantity: score(total) }),
    component: components
  }
}

function derive (instrument: Instrument, scores: ReadonlyMap<string, number>, total: number | undefined): Array<[InstrumentItem, number]> {
  const derived = (code: string): InstrumentItem | undefined => instrument.derived.find(d => d.code.code === code)
  const sum = (codes: string[]): number | undefined => codes.every(c => scores.has(c)) ? codes.reduce((a, c) => a + (scores.get(c) ?? 0), 0) : undefined
  const found: Array<[InstrumentItem | undefined, number | undefined]> = []
  if (instrument.id === 'swemwbs' && total !== undefined) found.push([derived('swemwbs-metric-score'), swemwbsMetricScore(total)])
  if (instrument.id === 'djg6') {
    found.push([derived('djg6-emotional'), sum(['djg6-item-1', 'djg6-item-2', 'djg6-item-3'])])
    found.push([derived('djg6-social'), sum(['djg6-item-4', 'djg6-item-5', 'djg6-item-6'])])
  }
  return found.filter((pair): pair is [InstrumentItem, number] => pair[0] !== undefined && pair[1] !== undefined)
}

/** The referral the response belongs to, when basedOn names one (QuestionnaireResponse.basedOn). */
function basedOn (response: QuestionnaireResponse): Array<Reference<ServiceRequest>> {
  return (response.basedOn ?? []).filter(r => r.reference?.startsWith('ServiceRequest/') === true) as Array<Reference<ServiceRequest>>
}

function score (value: number): NonNullable<Observation['valueQuantity']> {
  return { value, unit: 'score', system: UCUM, code: '{score}' }
}
