/** FHIRPath Patch values of complex types given as parts (https://hl7.org/fhir/R4/fhirpatch.html). */
import { test } from 'tap'
import { buildTestApp, FHIR, FHIR_JSON } from '../helper.js'

const OUTPUT = 'https://fhir.socialprescribing.example/CodeSystem/task-output'

const operation = (...parts: unknown[]): unknown => ({ name: 'operation', part: parts })
const addOutput = (code: string, count: unknown): unknown => operation(
  { name: 'type', valueCode: 'add' }, { name: 'path', valueString: 'Task' }, { name: 'name', valueString: 'output' },
  { name: 'value', part: [{ name: 'type', valueCodeableConcept: { coding: [{ system: OUTPUT, code }] } }, { name: 'valueUnsignedInt', valueUnsignedInt: count }] }
)

test('a FHIRPath Patch adds and replaces BackboneElements given as parts', async (t) => {
  const { app } = await buildTestApp(t)
  const task = { resourceType: 'Task', status: 'in-progress', intent: 'order', code: { text: 'Group sessions' } }
  const { id } = (await app.inject({ method: 'POST', url: `${FHIR}/Task`, headers: FHIR_JSON, payload: task })).json()
  const patch = (parameter: unknown[]) => app.inject({ method: 'PATCH', url: `${FHIR}/Task/${id}`, headers: FHIR_JSON, payload: { resourceType: 'Parameters', parameter } })

  const added = await patch([addOutput('sessions-prescribed', 6), addOutput('sessions-attended', 2)])
  t.equal(added.statusCode, 200, added.body)
  t.same(added.json().output, [
    { type: { coding: [{ system: OUTPUT, code: 'sessions-prescribed' }] }, valueUnsignedInt: 6 },
    { type: { coding: [{ system: OUTPUT, code: 'sessions-attended' }] }, valueUnsignedInt: 2 }
  ])

  const replaced = await patch([
    operation({ name: 'type', valueCode: 'delete' }, { name: 'path', valueString: `Task.output.where(type.coding.code = 'sessions-attended')` }),
    addOutput('sessions-attended', 5),
    // A CodeableConcept given as parts too: coding repeats, so it becomes a list.
    operation({ name: 'type', valueCode: 'add' }, { name: 'path', valueString: 'Task' }, { name: 'name', valueString: 'businessStatus' },
      { name: 'value', part: [{ name: 'coding', part: [{ name: 'system', valueUri: 'https://fhir.socialprescribing.example/CodeSystem/journey-state' }, { name: 'code', valueCode: 'attending' }] }] })
  ])
  t.equal(replaced.statusCode, 200, replaced.body)
  t.same(replaced.json().output.map((o: { valueUnsignedInt: number }) => o.valueUnsignedInt), [6, 5])
  t.same(replaced.json().businessStatus, { coding: [{ system: 'https://fhir.socialprescribing.example/CodeSystem/journey-state', code: 'attending' }] })
  t.equal(replaced.json().meta.versionId, '3')

  const unknownElement = await patch([operation({ name: 'type', valueCode: 'add' }, { name: 'path', valueString: 'Task' }, { name: 'name', valueString: 'output' },
    { name: 'value', part: [{ name: 'colour', valueString: 'blue' }] })])
  t.equal(unknownElement.statusCode, 422)
  t.match(unknownElement.json().issue[0].details.text, /TaskOutput has no element "colour"/)

  const twice = await patch([operation({ name: 'type', valueCode: 'add' }, { name: 'path', valueString: 'Task' }, { name: 'name', valueString: 'output' },
    { name: 'value', part: [{ name: 'valueUnsignedInt', valueUnsignedInt: 1 }, { name: 'valueUnsignedInt', valueUnsignedInt: 2 }] })])
  t.equal(twice.statusCode, 422)
  t.match(twice.json().issue[0].details.text, /given more than once/)

  const current = (await app.inject({ method: 'GET', url: `${FHIR}/Task/${id}` })).json()
  t.equal(current.meta.versionId, '3', 'rejected patches stored nothing')
})
