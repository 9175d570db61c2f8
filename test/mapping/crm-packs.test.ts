/**
 * Packs 4 and 5 as data: every CRM code the schemas accept has a ConceptMap target (FML's
 * translate() would silently drop one that had none), and the CSV pack maps row by row.
 */
import { test } from 'tap'
import { loadRegistry } from '../../src/mapping/cli.js'
import { runCsvMapping } from '../../src/mapping/run-csv-mapping.js'
import { toOutcome } from '../../src/fhir/outcome.js'

const registry = await loadRegistry({ PROFILES_DIR: './profiles', MAPPINGS_DIR: './mappings' })

function conceptMapCodes (mappingName: string, url: string): string[] {
  const mapping = registry.get(mappingName)
  const map = mapping?.conceptMaps.find(c => c.url === url)
  return (map?.group ?? []).flatMap(g => (g.element ?? []).filter(e => (e.target ?? []).length > 0).map(e => e.code as string))
}

const CM = 'https://fhir.socialprescribing.example/ConceptMap/'

test('crm-task-status: each event and reason code the schema accepts is mapped', async (t) => {
  const { readFile } = await import('node:fs/promises')
  const schema = JSON.parse(await readFile('mappings/crm-task-status/schema.json', 'utf8'))
  const events: string[] = schema.properties.event.enum
  t.same(conceptMapCodes('crm-task-status', `${CM}crm-event-task-status`).sort(), events.filter(e => e !== 'closed').sort(), 'every event but closed (whose status follows its reason)')
  const rejection: string[] = schema.allOf[0].then.properties.reason.properties.code.enum
  const closure: string[] = schema.allOf[1].then.properties.reason.properties.code.enum
  for (const map of ['crm-rejection-reason', 'crm-rejection-journey-state']) t.same(conceptMapCodes('crm-task-status', `${CM}${map}`).sort(), [...rejection].sort(), map)
  for (const map of ['crm-closure-reason', 'crm-closure-journey-state', 'crm-closure-task-status']) t.same(conceptMapCodes('crm-task-status', `${CM}${map}`).sort(), [...closure].sort(), map)
  t.same(conceptMapCodes('crm-task-status', `${CM}crm-activity`).sort(), [...schema.properties.activity.properties.code.enum].sort(), 'crm-activity')
})

test('crm-outcomes and crm-outcomes-csv: every instrument maps to an instrument Observation code', async (t) => {
  for (const [name, prefix] of [['crm-outcomes', 'crm-'], ['crm-outcomes-csv', 'crm-csv-']] as const) {
    const codes = [...conceptMapCodes(name, `${CM}${prefix}instrument-snomed`), ...conceptMapCodes(name, `${CM}${prefix}instrument-outcome-measure`)]
    t.same(codes.sort(), ['ONS4', 'SWEMWBS', 'UCLA3', 'WEMWBS'], name)
  }
})

test('the CSV variant\'s ConceptMaps are the JSON pack\'s, so the two cannot drift apart', async (t) => {
  for (const name of ['instrument-snomed', 'instrument-outcome-measure', 'question']) {
    const json = registry.get('crm-outcomes')?.conceptMaps.find(c => c.url === `${CM}crm-${name}`)
    const csv = registry.get('crm-outcomes-csv')?.conceptMaps.find(c => c.url === `${CM}crm-csv-${name}`)
    t.ok(json !== undefined && csv !== undefined, name)
    t.same(csv?.group, json?.group, name)
  }
})

test('a CSV maps row by row: all or nothing by default, good rows only with partial', async (t) => {
  const mapping = registry.get('crm-outcomes-csv')
  if (mapping === undefined) throw new Error('crm-outcomes-csv not loaded')
  const header = 'assessment_id,gateway_referral_id,nhs_number,instrument,completed_on,total\n'
  const csv = header + 'A1,r,9000000009,UCLA3,2026-11-15,6\nA2,r,9000000009,UCLA3,2026-11-15,ten\nA1,r,9000000009,UCLA3,2026-11-15,6\n'

  let thrown: unknown
  try { runCsvMapping(mapping, csv) } catch (err) { thrown = err }
  const { status, outcome } = toOutcome(thrown)
  t.equal(status, 400)
  t.match(outcome.issue?.[0]?.details?.text, /^row 2 \(line 3\): \/total: must match pattern/)
  t.same(outcome.issue?.[0]?.location, ['/1/total'])

  const partial = runCsvMapping(mapping, csv, { partial: true })
  t.equal(partial.rows, 3)
  t.same(partial.rejected.map(r => [r.row, r.line]), [[2, 3], [3, 4]])
  t.match(partial.rejected[1]?.issues[0]?.details?.text, /^row 3 \(line 4\): repeats row 1: both create the identifier https:\/\/fhir.socialprescribing.example\/crm\/assessment-id\|A1/)
  t.same(partial.entryRows, [1])
  t.equal(partial.bundle.entry?.length, 1)


  let allBad: unknown
  try { runCsvMapping(mapping, header + 'A1,r,9000000009,UCLA3,2026-11-15,x\n', { partial: true }) } catch (err) { allBad = err }
  t.equal(toOutcome(allBad).status, 400, 'partial with no good row is still a 400')
})
