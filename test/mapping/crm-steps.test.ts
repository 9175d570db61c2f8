/** The steps packs 4 and 5 added: translate-coding and columns-to-list. */
import { test } from 'tap'
import type { ConceptMap } from '@medplum/fhirtypes'
import { applySteps, type StepCall } from '../../src/mapping/apply-steps.js'
import { STEPS } from '../../src/mapping/steps/index.js'
import type { StepEnvironment } from '../../src/mapping/steps/step.js'
import { columnsToList } from '../../src/mapping/steps/columns-to-list.js'
import { translateToCoding } from '../../src/mapping/steps/translate-coding.js'
import { buildTerminology } from '../../src/terminology/terminology.js'

const snomed: ConceptMap = {
  resourceType: 'ConceptMap', status: 'active', url: 'urn:cm:snomed',
  group: [{ source: 'urn:crm', target: 'http://snomed.info/sct', element: [{ code: 'SWEMWBS', target: [{ code: '718466001', display: 'SWEMWBS score', equivalence: 'equivalent' }] }] }]
}
const local: ConceptMap = {
  resourceType: 'ConceptMap', status: 'active', url: 'urn:cm:local',
  group: [{ source: 'urn:crm', target: 'urn:outcome', element: [{ code: 'ONS4', target: [{ code: 'ons4', equivalence: 'equivalent' }] }] }]
}
const env: StepEnvironment = { conceptMaps: new Map([[snomed.url as string, snomed], [local.url as string, local]]), terminology: buildTerminology([]) }

function call (name: string, at: string[], options: Record<string, unknown>): StepCall {
  const step = STEPS.get(name)
  if (step === undefined) throw new Error(`no step ${name}`)
  return { step, at, options }
}

test('translate-coding: the Coding of the first ConceptMap that maps the code', async (t) => {
  t.same(translateToCoding(snomed, 'SWEMWBS'), { system: 'http://snomed.info/sct', code: '718466001', display: 'SWEMWBS score' })
  t.equal(translateToCoding(snomed, 'ONS4'), undefined)
  const step = STEPS.get('translate-coding')
  t.equal(step?.checkOptions({ conceptMap: ['urn:cm:snomed', 'urn:cm:local'] }, env), undefined)
  t.match(step?.checkOptions({ conceptMap: 'urn:cm:missing' }, env), /no ConceptMap urn:cm:missing/)
  t.match(step?.checkOptions({}, env), /needs conceptMap/)
  const doc = { instrument: 'ONS4', answers: [{ q: 'SWEMWBS' }, { q: 'PHQ9' }] }
  const result = applySteps(doc, [
    call('translate-coding', ['/instrument'], { conceptMap: ['urn:cm:snomed', 'urn:cm:local'] }),
    call('translate-coding', ['/answers/*/q'], { conceptMap: 'urn:cm:snomed' })
  ], env)
  t.same(result.document, { instrument: { system: 'urn:outcome', code: 'ons4' }, answers: [{ q: { system: 'http://snomed.info/sct', code: '718466001', display: 'SWEMWBS score' } }, { q: 'PHQ9' }] })
  t.same(result.problems, [{ pointer: '/answers/1/q', message: '"PHQ9" is not a code this mapping knows (ConceptMap urn:cm:snomed)' }])
  t.same(applySteps({ instrument: 3 }, [call('translate-coding', ['/instrument'], { conceptMap: 'urn:cm:snomed' })], env).problems, [{ pointer: '/instrument', message: 'must be a code' }])
})

test('columns-to-list: matching columns become a list in column order, the rest stay', async (t) => {
  const options = { pattern: '^Q_[0-9]+$', to: 'answers', key: 'question', value: 'score' }
  t.same(columnsToList({ id: 'A1', Q_2: '4', total: '7', Q_1: '3' }, { ...options, pattern: /^Q_[0-9]+$/ }),
    { id: 'A1', total: '7', answers: [{ question: 'Q_2', score: '4' }, { question: 'Q_1', score: '3' }] })
  t.same(columnsToList({ id: 'A1' }, { ...options, pattern: /^Q_[0-9]+$/ }), { id: 'A1' }, 'no list when no column matches')
  const step = STEPS.get('columns-to-list')
  t.equal(step?.checkOptions(options, env), undefined)
  t.match(step?.checkOptions({ ...options, pattern: '(' }, env), /pattern is not a regular expression/)
  t.match(step?.checkOptions({ ...options, to: '' }, env), /needs to/)
  t.same(applySteps({ id: 'A1', Q_1: '2' }, [{ step: step!, at: [], options }], env).document, { id: 'A1', answers: [{ question: 'Q_1', score: '2' }] })
  t.same(applySteps(['x'], [{ step: step!, at: [], options }], env).problems, [{ pointer: '', message: 'must be an object' }])
})
