/**
 * Every FHIR route needs a bearer token whose scopes cover the interaction: 401 (with
 * WWW-Authenticate) without a valid token, 403 when the scopes fall short, both OperationOutcomes,
 * and nothing stored either way. Metadata, health and discovery stay public.
 */
import { test } from 'tap'
import { generateKeyPair, SignJWT } from 'jose'
import { FHIR, FHIR_JSON, patient, referral } from '../helper.js'
import { buildAuthedTestApp, TEST_BASE_URL } from './helper.js'

const NHS = ['9000000009', '9000000017', '9000000025', '9000000033', '9000000041']

test('scopes and tokens on the FHIR API', async (t) => {
  const { app, bearer } = await buildAuthedTestApp(t, [
    { clientId: 'admin', role: 'admin', scopes: ['system/*.cruds'] },
    { clientId: 'patient-reader', role: 'dashboard', odsCode: 'ICB01', scopes: ['system/Patient.r'] },
    // An admin with narrow scopes: these tests are about scopes, and the organisation policy
    // (test/auth/access-matrix.test.ts) would refuse a GP's patient not registered with it.
    { clientId: 'patient-writer', role: 'admin', scopes: ['system/Patient.cu', 'system/ServiceRequest.c'] },
    { clientId: 'v1-reader', role: 'dashboard', odsCode: 'ICB01', scopes: ['system/Patient.read', 'system/ValueSet.read'] },
    { clientId: 'searcher', role: 'dashboard', odsCode: 'ICB01', scopes: ['system/*.s'] }
  ])
  const admin = await bearer('admin')
  const reader = await bearer('patient-reader')
  const writer = await bearer('patient-writer')
  const v1 = await bearer('v1-reader')
  const searcher = await bearer('searcher')
  const patientCount = async (): Promise<number> => {
    const res = await app.inject({ method: 'GET', url: `${FHIR}/Patient?_summary=count`, headers: admin })
    return res.json().total as number
  }
  const created = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: { ...FHIR_JSON, ...admin }, payload: patient(NHS[0] ?? '') })
  t.equal(created.statusCode, 201)
  const id = String(created.json().id)

  await t.test('without a token: 401 OperationOutcome with WWW-Authenticate, and nothing stored', async (t) => {
    const before = await patientCount()
    const requests = [
      { method: 'GET' as const, url: `${FHIR}/Patient/${id}` },
      { method: 'GET' as const, url: `${FHIR}/Patient` },
      { method: 'POST' as const, url: `${FHIR}/Patient`, payload: patient(NHS[1] ?? ''), headers: FHIR_JSON },
      { method: 'POST' as const, url: FHIR, payload: { resourceType: 'Bundle', type: 'batch', entry: [] }, headers: FHIR_JSON },
      { method: 'GET' as const, url: `${FHIR}/ValueSet/$expand?url=x` }
    ]
    for (const request of requests) {
      const res = await app.inject(request)
      t.equal(res.statusCode, 401, `${request.method} ${request.url}`)
      t.match(res.headers['www-authenticate'], /^Bearer realm="http:\/\/gateway\.test\/fhir"$/)
      t.equal(res.json().resourceType, 'OperationOutcome')
      t.equal(res.json().issue[0].code, 'login')
    }
    t.equal(await patientCount(), before)
  })

  await t.test('a bad token or scheme: 401 invalid_token', async (t) => {
    for (const authorization of ['Bearer not-a-token', `${admin.authorization ?? ''}x`, 'Basic YWRtaW46YWRtaW4=', 'Bearer']) {
      const res = await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}`, headers: { authorization } })
      t.equal(res.statusCode, 401, authorization.slice(0, 12))
      t.equal(res.json().resourceType, 'OperationOutcome')
    }
    const res = await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}`, headers: { authorization: 'Bearer abc.def.ghi' } })
    t.match(res.headers['www-authenticate'], /error="invalid_token"/)
  })

  await t.test('a token with the right claims signed by another key (another gateway) is refused', async (t) => {
    const { privateKey } = await generateKeyPair('ES256')
    const forged = await new SignJWT({ scope: 'system/*.cruds', client_id: 'admin' })
      .setProtectedHeader({ alg: 'ES256', kid: 'other-gateway' })
      .setIssuer(TEST_BASE_URL).setAudience(`${TEST_BASE_URL}/fhir`).setSubject('admin').setJti('forged').setIssuedAt().setExpirationTime('5m')
      .sign(privateKey)
    const res = await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}`, headers: { authorization: `Bearer ${forged}` } })
    t.equal(res.statusCode, 401)
  })

  await t.test('the CapabilityStatement names the token endpoint (SMART)', async (t) => {
    const security = (await app.inject({ method: 'GET', url: `${FHIR}/metadata` })).json().rest[0].security
    t.equal(security.service[0].coding[0].code, 'SMART-on-FHIR')
    t.equal(security.extension[0].extension[0].valueUri, 'http://gateway.test/auth/token')
  })

  await t.test('metadata, health, discovery and the JWKS need no token', async (t) => {
    for (const url of [`${FHIR}/metadata`, '/healthz', '/readyz', '/.well-known/smart-configuration', `${FHIR}/.well-known/smart-configuration`, '/.well-known/jwks.json']) {
      t.equal((await app.inject({ method: 'GET', url })).statusCode, 200, url)
    }
  })

  await t.test('read scope: read, vread and history, but not search, create, update or delete (403 naming the scope)', async (t) => {
    t.equal((await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}`, headers: reader })).statusCode, 200)
    t.equal((await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}/_history/1`, headers: reader })).statusCode, 200)
    t.equal((await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}/_history`, headers: reader })).statusCode, 200)
    t.equal((await app.inject({ method: 'HEAD', url: `${FHIR}/Patient/${id}`, headers: reader })).statusCode, 200)
    const before = await patientCount()
    const denied = [
      { method: 'GET' as const, url: `${FHIR}/Patient?identifier=${NHS[0] ?? ''}`, need: 'system/Patient.s' },
      { method: 'POST' as const, url: `${FHIR}/Patient/_search`, need: 'system/Patient.s' },
      { method: 'POST' as const, url: `${FHIR}/Patient`, payload: patient(NHS[2] ?? ''), need: 'system/Patient.c' },
      { method: 'PUT' as const, url: `${FHIR}/Patient/${id}`, payload: { ...patient(NHS[0] ?? ''), id }, need: 'system/Patient.u' },
      { method: 'PATCH' as const, url: `${FHIR}/Patient/${id}`, payload: [{ op: 'add', path: '/gender', value: 'female' }], need: 'system/Patient.u' },
      { method: 'DELETE' as const, url: `${FHIR}/Patient/${id}`, need: 'system/Patient.d' },
      { method: 'GET' as const, url: `${FHIR}/ServiceRequest/${id}`, need: 'system/ServiceRequest.r' }
    ]
    for (const { need, ...request } of denied) {
      const contentType = request.payload === undefined ? {} : request.method === 'PATCH' ? { 'content-type': 'application/json-patch+json' } : FHIR_JSON
      const res = await app.inject({ ...request, headers: { ...reader, ...contentType } })
      t.equal(res.statusCode, 403, `${request.method} ${request.url}`)
      t.equal(res.json().issue[0].code, 'forbidden')
      t.match(res.json().issue[0].details.text, need)
    }
    t.equal(await patientCount(), before, 'nothing stored')
    const current = await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}`, headers: admin })
    t.equal(current.json().meta.versionId, '1', 'not updated, patched or deleted')
  })

  await t.test('create and update scopes: create, update and patch, but not read; conditional create also needs search', async (t) => {
    const res = await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: { ...FHIR_JSON, ...writer }, payload: patient(NHS[3] ?? '') })
    t.equal(res.statusCode, 201)
    const newId = String(res.json().id)
    t.equal((await app.inject({ method: 'PUT', url: `${FHIR}/Patient/${newId}`, headers: { ...FHIR_JSON, ...writer }, payload: { ...patient(NHS[3] ?? ''), id: newId, gender: 'male' } })).statusCode, 200)
    t.equal((await app.inject({ method: 'PATCH', url: `${FHIR}/Patient/${newId}`, headers: { 'content-type': 'application/json-patch+json', ...writer }, payload: [{ op: 'replace', path: '/gender', value: 'female' }] })).statusCode, 200)
    t.equal((await app.inject({ method: 'GET', url: `${FHIR}/Patient/${newId}`, headers: writer })).statusCode, 403)
    t.equal((await app.inject({ method: 'DELETE', url: `${FHIR}/Patient/${newId}`, headers: writer })).statusCode, 403)
    const conditional = await app.inject({
      method: 'POST',
      url: `${FHIR}/Patient`,
      headers: { ...FHIR_JSON, ...writer, 'if-none-exist': `identifier=https://fhir.nhs.uk/Id/nhs-number|${NHS[3] ?? ''}` },
      payload: patient(NHS[3] ?? '')
    })
    t.equal(conditional.statusCode, 403)
    t.match(conditional.json().issue[0].details.text, 'system/Patient.s')
    const conditionalUpdate = await app.inject({ method: 'PUT', url: `${FHIR}/Patient?identifier=${NHS[3] ?? ''}`, headers: { ...FHIR_JSON, ...writer }, payload: patient(NHS[3] ?? '') })
    t.equal(conditionalUpdate.statusCode, 403)
  })

  await t.test('SMART v1 .read covers read and search, not write', async (t) => {
    t.equal((await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}`, headers: v1 })).statusCode, 200)
    t.equal((await app.inject({ method: 'GET', url: `${FHIR}/Patient?_count=1`, headers: v1 })).statusCode, 200)
    t.equal((await app.inject({ method: 'POST', url: `${FHIR}/Patient`, headers: { ...FHIR_JSON, ...v1 }, payload: patient(NHS[4] ?? '') })).statusCode, 403)
  })

  await t.test('search scope: type searches; a system search needs every type it names', async (t) => {
    t.equal((await app.inject({ method: 'GET', url: `${FHIR}/Task?_count=1`, headers: searcher })).statusCode, 200)
    t.equal((await app.inject({ method: 'GET', url: `${FHIR}?_type=Patient,Task&_count=1`, headers: searcher })).statusCode, 200)
    t.equal((await app.inject({ method: 'GET', url: `${FHIR}?_type=Patient,Task&_count=1`, headers: reader })).statusCode, 403)
    t.equal((await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}`, headers: searcher })).statusCode, 403)
  })

  await t.test('operations: ValueSet/$expand needs ValueSet read', async (t) => {
    const url = `${FHIR}/ValueSet/$expand?url=https://fhir.socialprescribing.example/ValueSet/journey-state`
    t.equal((await app.inject({ method: 'GET', url, headers: v1 })).statusCode, 200)
    t.equal((await app.inject({ method: 'GET', url, headers: reader })).statusCode, 403)
  })

  await t.test('a Bundle needs the scopes of every entry: one uncovered entry refuses it all, nothing stored', async (t) => {
    const before = await patientCount()
    const transaction = (withTask: boolean): Record<string, unknown> => ({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:0c4e1b6a-3d1f-4a53-9b0e-6f1f2f7b2c01', request: { method: 'POST', url: 'Patient' }, resource: patient(NHS[4] ?? '') },
        { request: { method: 'POST', url: 'ServiceRequest' }, resource: referral({ subject: { reference: 'urn:uuid:0c4e1b6a-3d1f-4a53-9b0e-6f1f2f7b2c01' } }) },
        ...(withTask
          ? [{ request: { method: 'POST', url: 'Task' }, resource: { resourceType: 'Task', status: 'requested', intent: 'order' } }]
          : [])
      ]
    })
    for (const type of ['transaction', 'batch']) {
      const res = await app.inject({ method: 'POST', url: FHIR, headers: { ...FHIR_JSON, ...writer }, payload: { ...transaction(true), type } })
      t.equal(res.statusCode, 403, type)
      t.match(res.json().issue[0].details.text, 'system/Task.c')
    }
    t.equal(await patientCount(), before, 'nothing stored')
    const readInside = await app.inject({
      method: 'POST',
      url: FHIR,
      headers: { ...FHIR_JSON, ...writer },
      payload: { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: `Patient/${id}` } }] }
    })
    t.equal(readInside.statusCode, 403, 'a read inside a batch needs r')
    const allowed = await app.inject({ method: 'POST', url: FHIR, headers: { ...FHIR_JSON, ...writer }, payload: transaction(false) })
    t.equal(allowed.statusCode, 200)
    t.equal(await patientCount(), before + 1)
  })

  await t.test('a wrong method on a known path is still 405 for any authenticated client', async (t) => {
    t.equal((await app.inject({ method: 'DELETE', url: `${FHIR}/Patient`, headers: reader })).statusCode, 405)
    t.equal((await app.inject({ method: 'DELETE', url: `${FHIR}/Patient` })).statusCode, 401)
  })

  await t.test('security headers on every answer; no CORS headers', async (t) => {
    const res = await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}`, headers: { ...reader, origin: 'https://evil.example' } })
    t.equal(res.headers['x-content-type-options'], 'nosniff')
    t.match(res.headers['content-security-policy'], "default-src 'none'")
    t.ok(res.headers['strict-transport-security'])
    t.notOk(res.headers['access-control-allow-origin'])
    // helmet's whole default set, on answers that end before any route runs too.
    for (const early of [await app.inject({ method: 'GET', url: '/nothing-here' }), await app.inject({ method: 'GET', url: `${FHIR}/Patient/${id}` }), res]) {
      t.equal(early.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'", `${early.statusCode}: content-security-policy`)
      t.equal(early.headers['cross-origin-resource-policy'], 'same-origin')
      t.equal(early.headers['x-frame-options'], 'SAMEORIGIN')
      t.equal(early.headers['referrer-policy'], 'no-referrer')
      t.equal(early.headers['x-content-type-options'], 'nosniff')
      t.match(early.headers['strict-transport-security'], /^max-age=\d+; includeSubDomains$/)
      t.notOk(early.headers['x-powered-by'])
    }
    const options = await app.inject({ method: 'OPTIONS', url: `${FHIR}/Patient`, headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } })
    t.notOk(options.headers['access-control-allow-origin'])
  })
})
