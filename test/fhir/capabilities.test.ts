/** GET /metadata: https://hl7.org/fhir/R4/http.html#capabilities */
import { test } from 'tap'
import { SUPPORTED_RESOURCE_TYPES } from '../../src/fhir/resource-types.js'
import { buildTestApp, FHIR, FHIR_JSON } from '../helper.js'

test('the CapabilityStatement lists exactly the supported types and interactions', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: `${FHIR}/metadata` })
  t.equal(res.statusCode, 200)
  const statement = res.json()
  t.equal(statement.resourceType, 'CapabilityStatement')
  t.equal(statement.fhirVersion, '4.0.1')
  t.same(statement.rest[0].interaction.map((i: any) => i.code).sort(), ['batch', 'transaction'])
  const types = statement.rest[0].resource.map((r: any) => r.type)
  t.same(types, [...SUPPORTED_RESOURCE_TYPES])
  const patientCapability = statement.rest[0].resource.find((r: any) => r.type === 'Patient')
  const patientParams = patientCapability.searchParam.map((p: any) => p.name)
  for (const name of ['_id', '_lastUpdated', '_tag', '_profile', '_security', '_source', 'identifier', 'name', 'birthdate', 'general-practitioner']) {
    t.ok(patientParams.includes(name), `Patient lists ${name}`)
  }
  t.notOk(patientParams.includes('_text'), 'full-text search is not claimed')
  t.ok(patientCapability.searchRevInclude.includes('Task:patient'))
  t.ok(patientCapability.conditionalCreate)

  // Every listed type really answers, and the interaction list matches what routes exist.
  // Every listed parameter of every type is really searchable.
  let failures = 0
  for (const resource of statement.rest[0].resource) {
    for (const param of resource.searchParam) {
      const search = await app.inject({ method: 'GET', url: `${FHIR}/${resource.type}?${param.name}:missing=true&_count=1` })
      if (search.statusCode !== 200) {
        failures++
        t.fail(`${resource.type}?${param.name}:missing=true answered ${search.statusCode}`)
      }
    }
  }
  t.equal(failures, 0, 'every listed search parameter answers')
  const searchParameterCapability = statement.rest[0].resource.find((r: any) => r.type === 'SearchParameter')
  t.same(searchParameterCapability.interaction.map((i: any) => i.code), ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'])
  const unlisted = await app.inject({ method: 'POST', url: `${FHIR}/Appointment`, headers: FHIR_JSON, payload: { resourceType: 'Appointment' } })
  t.equal(unlisted.statusCode, 404)
})
