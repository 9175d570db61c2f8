/**
 * Questionnaires for ONS4, SWEMWBS, UCLA-3 and De Jong Gierveld 6, built from the instrument
 * catalogue: one item per instrument item, linkId the item code, item.code the item coding,
 * Questionnaire.code the score coding. Choice answers carry their score as ordinalValue, so
 * scoring reads the Questionnaire rather than code per instrument. WEMWBS/SWEMWBS wording is
 * licensed (Warwick): the items carry labels only, and the respondent sees the licensed form.
 */
import type { Coding, Questionnaire, QuestionnaireItem } from '@medplum/fhirtypes'
import { instrumentById, type InstrumentItem } from '../../src/workflow/instruments.js'
import { GATEWAY_SYSTEM, questionnaireUrl } from '../../src/terminology/systems.js'
import { metadata } from './metadata.js'

const ORDINAL = 'http://hl7.org/fhir/StructureDefinition/ordinalValue'
const MIN_VALUE = 'http://hl7.org/fhir/StructureDefinition/minValue'
const MAX_VALUE = 'http://hl7.org/fhir/StructureDefinition/maxValue'

interface Answer { readonly code: string, readonly display: string }

const FREQUENCY_5: Answer[] = [
  { code: 'none-of-the-time', display: 'None of the time' },
  { code: 'rarely', display: 'Rarely' },
  { code: 'some-of-the-time', display: 'Some of the time' },
  { code: 'often', display: 'Often' },
  { code: 'all-of-the-time', display: 'All of the time' }
]
const FREQUENCY_3: Answer[] = [
  { code: 'hardly-ever', display: 'Hardly ever or never' },
  { code: 'some-of-the-time', display: 'Some of the time' },
  { code: 'often', display: 'Often' }
]
const YES_NO: Answer[] = [
  { code: 'yes', display: 'Yes' },
  { code: 'more-or-less', display: 'More or less' },
  { code: 'no', display: 'No' }
]

export const QUESTIONNAIRE_ANSWERS: readonly Answer[] = [...new Map([...FREQUENCY_5, ...FREQUENCY_3, ...YES_NO].map(a => [a.code, a])).values()]

const answerCoding = (answer: Answer): Coding => ({ system: GATEWAY_SYSTEM.questionnaireAnswer, code: answer.code, display: answer.display })

function choice (item: InstrumentItem, answers: readonly Answer[], scores: readonly number[]): QuestionnaireItem {
  return {
    linkId: item.code.code as string,
    code: [item.code],
    text: item.question ?? item.label,
    type: 'choice',
    required: true,
    answerOption: answers.map((answer, i) => ({ valueCoding: { ...answerCoding(answer), extension: [{ url: ORDINAL, valueDecimal: scores[i] as number }] } }))
  }
}

function integer (item: InstrumentItem): QuestionnaireItem {
  return {
    linkId: item.code.code as string,
    code: [item.code],
    text: item.question ?? item.label,
    type: 'integer',
    required: true,
    extension: [{ url: MIN_VALUE, valueInteger: item.min }, { url: MAX_VALUE, valueInteger: item.max }]
  }
}

function questionnaire (id: string, items: QuestionnaireItem[], description: string): Questionnaire {
  const instrument = instrumentById(id)
  if (instrument === undefined) throw new Error(`No instrument ${id}`)
  return {
    resourceType: 'Questionnaire',
    id,
    url: questionnaireUrl(id),
    ...metadata(instrument.title, description, id.toUpperCase()),
    subjectType: ['Patient'],
    code: [instrument.code],
    item: items
  }
}

export function questionnaires (): Questionnaire[] {
  const items = (id: string): readonly InstrumentItem[] => instrumentById(id)?.items ?? []
  return [
    questionnaire('ons4', items('ons4').map(integer), 'ONS personal wellbeing (ONS4): four questions answered 0–10 (Office for National Statistics harmonised standard, Open Government Licence). Scored into one Observation with four components.'),
    questionnaire('swemwbs', items('swemwbs').map(i => choice(i, FREQUENCY_5, [1, 2, 3, 4, 5])), 'SWEMWBS: seven items scored 1–5, raw total 7–35 and the metric score. Item wording is licensed by Warwick Medical School and is not held here: labels only.'),
    questionnaire('ucla3', items('ucla3').map(i => choice(i, FREQUENCY_3, [1, 2, 3])), 'UCLA 3-item loneliness scale: three items scored 1–3, total 3–9 (6 or more: lonely).'),
    // Items 1-3 (emotional) score "yes" and "more or less" as lonely; items 4-6 (social) are
    // worded positively, so "no" and "more or less" score.
    questionnaire('djg6', items('djg6').map((i, n) => choice(i, YES_NO, n < 3 ? [1, 1, 0] : [0, 1, 1])), 'De Jong Gierveld 6-item loneliness scale: emotional (items 1–3) and social (items 4–6) subscales of 0–3, total 0–6. Short labels only.')
  ]
}
