/**
 * A payload a broken mapping cannot store is a 422 naming the map rule, stays in the dead-letter
 * store (sealed), and is stored by a replay once the mapping is fixed and the gateway restarted
 * on the same database. A letter sealed under another key is refused, not mis-read.
 */
import { test } from 'tap'
import { randomBytes } from 'node:crypto'
import { buildTestApp, FHIR, isolatedDatabaseUrl, versionCount } from '../helper.js'
import { createSealer } from '../../src/mapping/dead-letter-seal.js'

const schema = JSON.stringify({ type: 'object', required: ['nhsNumber', 'family', 'sex'], additionalProperties: false, properties: { nhsNumber: { type: 'string' }, family: { type: 'string' }, sex: { type: 'string' } } })
const manifest = (version: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ name: 'tiny', version, title: 'Tiny patient feed', format: 'json', direction: 'inbound', map: 'tiny.map', schema: 'schema.json', ...extra })
const map = (gender: string): string => `map "https://example.org/StructureMap/tiny" = Tiny

group main(source src, target bundle : Bundle) {
  src -> bundle.type = 'transaction' "type";
  src -> bundle.entry as e, e.fullUrl = uuid() as id, e.fullUrl = append('urn:uuid:', id) as url, e.resource = create('Patient') as patient, e.request as r then {
    src -> r.method = 'POST', r.url = 'Patient' "request";
    src.nhsNumber as nhs -> patient.identifier as i, i.system = 'https://fhir.nhs.uk/Id/nhs-number', i.value = nhs "patient-nhs-number";
    src.family as family -> patient.name as n, n.family = family "patient-name";
    src.sex as sex -> ${gender} "patient-gender";
  } "patient";
}
`
const broken = { 'mapping.json': manifest('1.0.0'), 'schema.json': schema, 'tiny.map': map('patient.gender = sex') }
const fixed = {
  'mapping.json': manifest('1.0.1', { pre: [{ step: 'known-code', at: ['/sex'], conceptMap: 'https://example.org/ConceptMap/sex' }] }),
  'schema.json': schema,
  'tiny.map': map("patient.gender = translate(sex, 'https://example.org/ConceptMap/sex', 'code')"),
  'sex.conceptmap.json': JSON.stringify({ resourceType: 'ConceptMap', url: 'https://example.org/ConceptMap/sex', status: 'active', group: [{ source: 'https://example.org/form-sex', target: 'http://hl7.org/fhir/administrative-gender', element: [{ code: 'F', target: [{ code: 'female', equivalence: 'equivalent' }] }, { code: 'M', target: [{ code: 'male', equivalence: 'equivalent' }] }] }] })
}

test('dead letters survive a restart and replay once the mapping is fixed', async (t) => {
  const dirs = t.testdir({ broken: { tiny: broken }, fixed: { tiny: fixed }, data: {} })
  // The same database for every gateway of this test: a PostgreSQL schema, or PGlite on disk.
  const databaseUrl = await isolatedDatabaseUrl(t)
  const store: Record<string, string> = databaseUrl === undefined
    ? { DATA_DIR: `${dirs}/data` }
    : { DATABASE_URL: databaseUrl, DEAD_LETTER_KEY: randomBytes(32).toString('hex') }
  const payload = JSON.stringify({ nhsNumber: '9434765919', family: 'Okafor', sex: 'F' })
  const headers = { 'content-type': 'application/json', 'x-sender': 'tiny-feed' }

  const first = await buildTestApp(t, { ...store, MAPPINGS_DIR: `${dirs}/broken` })
  const rejected = await first.app.inject({ method: 'POST', url: '/inbound/tiny', headers, payload })
  t.equal(rejected.statusCode, 422, 'the mapped Patient fails validation')
  const issue = rejected.json().issue[0]
  t.same(issue.expression, ['Bundle.entry[0].resource.gender'], 'names the FHIR element')
  t.match(issue.diagnostics, /produced by rule "patient-gender" \(group main, .*tiny\.map line 9\) of mapping tiny 1\.0\.0/, 'and the map rule that produced it')
  const id = rejected.headers['x-dead-letter-id'] as string
  t.equal(await versionCount(first.app, 'Patient'), 0, 'nothing stored')
  t.notOk(first.logs().includes('Okafor'), 'the payload is not logged')
  await first.app.close()

  const second = await buildTestApp(t, { ...store, MAPPINGS_DIR: `${dirs}/fixed` })
  const [letter] = (await second.app.inject({ method: 'GET', url: '/inbound/dead-letter?pending=true' })).json().items
  t.match(letter, { id, mapping: 'tiny', sender: 'tiny-feed', status: 422, category: 'unprocessable' })
  const replay = await second.app.inject({ method: 'POST', url: `/inbound/dead-letter/${id}/$replay` })
  t.equal(replay.statusCode, 201, replay.body)
  const patient = (await second.app.inject({ method: 'GET', url: `${FHIR}/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919` })).json().entry[0].resource
  t.equal(patient.gender, 'female', 'stored by the fixed mapping')
  const provenance = (await second.app.inject({ method: 'GET', url: `${FHIR}/Provenance?target=Patient/${patient.id}` })).json().entry[0].resource
  t.same(provenance.policy, ['https://example.org/StructureMap/tiny|1.0.1'], 'the Provenance names the version that stored it')
  t.equal(provenance.agent[0].who.identifier.value, 'tiny-feed', 'and the original sender')
  const [done] = (await second.app.inject({ method: 'GET', url: '/inbound/dead-letter' })).json().items
  t.match(done, { id, attempts: 2, replayLocation: /^Provenance\// })
  t.ok(done.replayedAt !== undefined, 'marked replayed')
  t.equal((await second.app.inject({ method: 'GET', url: '/inbound/dead-letter?pending=true' })).json().items.length, 0)
  const again = await second.app.inject({ method: 'POST', url: `/inbound/dead-letter/${id}/$replay` })
  t.equal(again.statusCode, 409, 'a letter is replayed once')
  t.equal(await versionCount(second.app, 'Patient'), 1)

  const unknownSex = await second.app.inject({ method: 'POST', url: '/inbound/tiny', headers, payload: JSON.stringify({ nhsNumber: '9000000009', family: 'Jones', sex: 'X' }) })
  t.equal(unknownSex.statusCode, 400)
  t.same(unknownSex.json().issue[0].location, ['/sex'])
  await second.app.close()

  const otherKey = await buildTestApp(t, { ...store, MAPPINGS_DIR: `${dirs}/fixed`, DEAD_LETTER_KEY: randomBytes(32).toString('hex') })
  const refused = await otherKey.app.inject({ method: 'POST', url: `/inbound/dead-letter/${unknownSex.headers['x-dead-letter-id'] as string}/$replay` })
  t.equal(refused.statusCode, 409)
  t.match(refused.json().issue[0].details.text, /sealed with another key/)
})

test('sealing: AES-256-GCM, nothing readable, tampering detected', async (t) => {
  const sealer = createSealer(randomBytes(32))
  const sealed = sealer.seal('{"nhsNumber":"9434765919","family":"Okafor"}')
  t.notOk(sealed.includes('9434765919') || sealed.includes('Okafor'))
  t.notOk(Buffer.from(sealed.split('.')[4] as string, 'base64url').toString('latin1').includes('Okafor'))
  t.equal(sealer.open(sealed), '{"nhsNumber":"9434765919","family":"Okafor"}')
  t.not(sealer.seal('same'), sealer.seal('same'), 'a fresh IV every time')
  const parts = sealed.split('.')
  const body = Buffer.from(parts[4] as string, 'base64url')
  body[0] = (body[0] as number) ^ 1
  t.throws(() => sealer.open([...parts.slice(0, 4), body.toString('base64url')].join('.')), 'a changed byte fails authentication')
  t.equal(createSealer(randomBytes(32)).open(sealed), undefined, 'another key does not pretend to read it')
})
