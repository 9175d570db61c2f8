/**
 * The outcome instruments the gateway understands (domain.md §7.1, standards.md §4.3): the code
 * of the score Observation, the valid range of its value, and its item components. One catalogue
 * serves three readers: Observation checks, QuestionnaireResponse scoring, and the generated
 * profiles and Questionnaires under profiles/. SNOMED CT where a code exists, the gateway
 * outcome-measure CodeSystem otherwise. WEMWBS/SWEMWBS item wording is licensed: labels only.
 */
import type { Coding } from '@medplum/fhirtypes'
import { GATEWAY_SYSTEM, SNOMED } from '../terminology/systems.js'

export interface Range {
  readonly min: number
  readonly max: number
  /** Whole numbers only. */
  readonly integer: boolean
}

export interface InstrumentItem extends Range {
  readonly code: Coding
  /** A short label; the full question only where its licence allows (ONS4, UCLA-3). */
  readonly label: string
  readonly question?: string
}

export interface Instrument {
  /** Also the id of its profile and, where one exists, its Questionnaire. */
  readonly id: string
  readonly title: string
  readonly code: Coding
  /** The range of Observation.value; undefined when the instrument has no single score. */
  readonly value?: Range
  /** Item components. `itemsRequired`: always all of them; otherwise all or none. */
  readonly items: readonly InstrumentItem[]
  readonly itemsRequired: boolean
  /** Components derived from the items (subscales, converted scores), each optional. */
  readonly derived: readonly InstrumentItem[]
  /** When set, the item components must add up to the value. */
  readonly itemsSumToValue: boolean
  /** Items each optional, but without a score at least this many item components. */
  readonly minItems?: number
}

const gateway = (code: string, display: string): Coding => ({ system: GATEWAY_SYSTEM.outcomeMeasure, code, display })
const snomed = (code: string, display: string): Coding => ({ system: SNOMED, code, display })
const whole = (min: number, max: number): Range => ({ min, max, integer: true })

function numbered (prefix: string, title: string, count: number, range: Range): InstrumentItem[] {
  return Array.from({ length: count }, (_, i) => ({ code: gateway(`${prefix}-item-${i + 1}`, `${title} item ${i + 1}`), label: `${title} item ${i + 1}`, ...range }))
}

const item = (code: string, label: string, range: Range, question?: string): InstrumentItem =>
  ({ code: gateway(code, label), label, ...range, ...(question === undefined ? {} : { question }) })

export const INSTRUMENTS: readonly Instrument[] = [
  {
    id: 'ons4',
    title: 'ONS4 personal wellbeing',
    code: gateway('ons4', 'ONS4 personal wellbeing'),
    // Item codes as the synthetic population already uses them.
    items: [
      item('ons4-life-satisfaction', 'Life satisfaction', whole(0, 10), 'Overall, how satisfied are you with your life nowadays?'),
      item('ons4-worthwhile', 'Things done in life are worthwhile', whole(0, 10), 'Overall, to what extent do you feel that the things you do in your life are worthwhile?'),
      item('ons4-happiness', 'Happiness yesterday', whole(0, 10), 'Overall, how happy did you feel yesterday?'),
      item('ons4-anxiety', 'Anxiety yesterday', whole(0, 10), 'On a scale where 0 is "not at all anxious" and 10 is "completely anxious", overall, how anxious did you feel yesterday?')
    ],
    itemsRequired: true,
    derived: [],
    itemsSumToValue: false
  },
  {
    id: 'wemwbs',
    title: 'WEMWBS',
    code: snomed('718426000', 'Warwick-Edinburgh Mental Well-being Scale score'),
    value: whole(14, 70),
    items: numbered('wemwbs', 'WEMWBS', 14, whole(1, 5)),
    itemsRequired: false,
    derived: [],
    itemsSumToValue: true
  },
  {
    id: 'swemwbs',
    title: 'SWEMWBS',
    code: snomed('718466001', 'Short Warwick-Edinburgh Mental Well-being Scale score'),
    value: whole(7, 35),
    items: numbered('swemwbs', 'SWEMWBS', 7, whole(1, 5)),
    itemsRequired: false,
    derived: [item('swemwbs-metric-score', 'SWEMWBS metric score', { min: 7, max: 35, integer: false })],
    itemsSumToValue: true
  },
  {
    id: 'ucla3',
    title: 'UCLA 3-item loneliness scale',
    code: gateway('ucla3', 'UCLA 3-item loneliness score'),
    value: whole(3, 9),
    items: [
      item('ucla3-item-1', 'Lack companionship', whole(1, 3), 'How often do you feel that you lack companionship?'),
      item('ucla3-item-2', 'Feel left out', whole(1, 3), 'How often do you feel left out?'),
      item('ucla3-item-3', 'Feel isolated from others', whole(1, 3), 'How often do you feel isolated from others?')
    ],
    itemsRequired: false,
    derived: [],
    itemsSumToValue: true
  },
  {
    id: 'djg6',
    title: 'De Jong Gierveld 6-item loneliness scale',
    code: gateway('djg6', 'De Jong Gierveld 6-item loneliness score'),
    value: whole(0, 6),
    // Items 1-3 are the emotional subscale, 4-6 the social one; each scores 0 or 1.
    items: [
      item('djg6-item-1', 'General sense of emptiness', whole(0, 1)),
      item('djg6-item-2', 'Miss having people around', whole(0, 1)),
      item('djg6-item-3', 'Often feel rejected', whole(0, 1)),
      item('djg6-item-4', 'Plenty of people to lean on', whole(0, 1)),
      item('djg6-item-5', 'Many people to trust completely', whole(0, 1)),
      item('djg6-item-6', 'Enough people to feel close to', whole(0, 1))
    ],
    itemsRequired: false,
    derived: [
      item('djg6-emotional', 'De Jong Gierveld emotional loneliness', whole(0, 3)),
      item('djg6-social', 'De Jong Gierveld social loneliness', whole(0, 3))
    ],
    itemsSumToValue: true
  },
  {
    id: 'pam',
    title: 'Patient Activation Measure',
    code: snomed('925431000000109', 'Patient Activation Measure score'),
    value: { min: 0, max: 100, integer: false },
    items: [],
    itemsRequired: false,
    derived: [{ code: snomed('962851000000103', 'Patient Activation Measure level'), label: 'PAM level', ...whole(1, 4) }],
    itemsSumToValue: false
  },
  {
    id: 'pam-level',
    title: 'Patient Activation Measure level',
    code: snomed('962851000000103', 'Patient Activation Measure level'),
    value: whole(1, 4),
    items: [],
    itemsRequired: false,
    derived: [],
    itemsSumToValue: false
  },
  {
    id: 'eq5d5l',
    title: 'EQ-5D-5L',
    code: snomed('736534008', 'EuroQol five dimension five level index value'),
    // England value sets reach about -0.6 (standards.md §4.3).
    value: { min: -0.6, max: 1, integer: false },
    items: [
      item('eq5d5l-mobility', 'Mobility', whole(1, 5)),
      item('eq5d5l-self-care', 'Self-care', whole(1, 5)),
      item('eq5d5l-usual-activities', 'Usual activities', whole(1, 5)),
      item('eq5d5l-pain-discomfort', 'Pain / discomfort', whole(1, 5)),
      item('eq5d5l-anxiety-depression', 'Anxiety / depression', whole(1, 5))
    ],
    itemsRequired: false,
    derived: [{ code: snomed('736535009', 'EuroQol visual analogue score'), label: 'EQ VAS', ...whole(0, 100) }],
    itemsSumToValue: false
  },
  {
    id: 'eq-vas',
    title: 'EQ VAS',
    code: snomed('736535009', 'EuroQol visual analogue score'),
    value: whole(0, 100),
    items: [],
    itemsRequired: false,
    derived: [],
    itemsSumToValue: false
  },
  {
    id: 'mycaw',
    title: 'MYCaW',
    code: gateway('mycaw', 'Measure Yourself Concerns and Wellbeing'),
    // Concern 1 and wellbeing are always scored; concern 2 is optional (a derived slot).
    items: [
      item('mycaw-concern-1', 'Concern 1 severity', whole(0, 6)),
      item('mycaw-wellbeing', 'Wellbeing', whole(0, 6))
    ],
    itemsRequired: true,
    derived: [item('mycaw-concern-2', 'Concern 2 severity', whole(0, 6))],
    itemsSumToValue: false
  },
  {
    id: 'wellbeing-star',
    title: 'Wellbeing Star (Outcomes Star)',
    code: gateway('wellbeing-star', 'Wellbeing Star (Outcomes Star family)'),
    value: whole(8, 80),
    items: [
      item('star-lifestyle', 'Lifestyle', whole(1, 10)),
      item('star-looking-after-yourself', 'Looking after yourself', whole(1, 10)),
      item('star-managing-symptoms', 'Managing symptoms', whole(1, 10)),
      item('star-work-volunteering', 'Work, volunteering and other activities', whole(1, 10)),
      item('star-money', 'Money', whole(1, 10)),
      item('star-where-you-live', 'Where you live', whole(1, 10)),
      item('star-family-friends', 'Family and friends', whole(1, 10)),
      item('star-feeling-positive', 'Feeling positive', whole(1, 10))
    ],
    itemsRequired: false,
    derived: [],
    itemsSumToValue: true,
    minItems: 1
  }
]

const byCode = new Map<string, Instrument>(INSTRUMENTS.map(i => [`${i.code.system}|${i.code.code}`, i]))

/** The instrument an Observation.code names, if any of its codings is one. */
export function instrumentFor (codings: readonly Coding[] | undefined): Instrument | undefined {
  for (const coding of codings ?? []) {
    const found = byCode.get(`${coding.system}|${coding.code}`)
    if (found !== undefined) return found
  }
  return undefined
}

export function instrumentById (id: string): Instrument | undefined {
  return INSTRUMENTS.find(i => i.id === id)
}
