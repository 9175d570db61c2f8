/**
 * The authorisation matrix (issue #6, Proof): every role × interaction × relationship (own,
 * another organisation's, unrelated) through HTTP against a real database, asserting the exact
 * status and that nothing of a resource out of reach (its id as an entry, a patient's NHS
 * number or name) appears anywhere in the body. One app and one seeded world for the file.
 */
import { test, type Test } from 'tap'
import { FHIR, FHIR_JSON, holdsValue } from '../helper.js'
import { NHS } from '../workflow/fixtures.js'
import { buildPolicyApp } from './policy-app.js'
import { CLIENT_NAMES, KEYS, ODS, PEOPLE, PERSON_OF, REFERRAL_ID_SYSTEM, seedWorld, VISIBLE, type ClientName, type Key, type Person, type World } from './policy-world.js'

interface Reply { readonly status: number, readonly body: any, readonly text: string, readonly sent: string }

test('authorisation matrix', async (t) => {
  const { app, as, logs } = await buildPolicyApp(t)
  const world = await seedWorld(app, await as('admin'))
  const { id } = world
  /** `sent` is what the client itself sent (URL, headers, body): it may be echoed back (self links, Location, its own resource). */
  const call = async (client: ClientName, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const res = await app.inject({
      method,
      url: `${FHIR}/${path}`,
      headers: { ...(payload === undefined ? {} : method === 'PATCH' ? { 'content-type': 'application/json-patch+json' } : FHIR_JSON), ...headers, ...await as(client) },
      ...(payload === undefined ? {} : { payload: payload as object })
    })
    return { status: res.statusCode, body: res.body === '' ? undefined : JSON.parse(res.body), text: res.body, sent: `${path} ${JSON.stringify(headers)} ${JSON.stringify(payload ?? '')}` }
  }
  const get = async (client: ClientName, path: string): Promise<Reply> => await call(client, 'GET', path)
  const path = (key: Key): string => `${world.typeOf[key]}/${id[key]}`

  /** World keys of every resource in a body (entries of bundles, nested bundles, or the resource itself). */
  const keysIn = (body: any): Key[] => {
    const found: Key[] = []
    const visit = (resource: any): void => {
      if (resource === null || typeof resource !== 'object') return
      if (resource.resourceType === 'Bundle') for (const entry of resource.entry ?? []) visit(entry.resource)
      const key = typeof resource.id === 'string' ? world.keyOf(resource.resourceType, resource.id) : undefined
      if (key !== undefined) found.push(key)
    }
    visit(body)
    return found
  }
  /**
   * Nothing the client may not see: no such resource, and no NHS number or name of a person it
   * may not see, unless the client sent it itself.
   */
  const assertNoForeignData = (t: Test, client: ClientName, reply: Reply, what: string): void => {
    const foreign = keysIn(reply.body).filter(key => !VISIBLE[client].has(key))
    t.same(foreign, [], `${client} ${what}: no resource out of reach`)
    const identifiable = client !== 'dash'
    for (const [person, { nhs, family }] of Object.entries(PEOPLE) as Array<[Person, { nhs: string, family: string }]>) {
      const allowed = identifiable && VISIBLE[client].has(person)
      const leaked = [nhs, family].filter(value => reply.text.includes(value) && !reply.sent.includes(value))
      if (!allowed && leaked.length > 0) t.fail(`${client} ${what}: ${person}'s NHS number or name appears`)
    }
  }
  const sameKeys = (t: Test, reply: Reply, expected: Iterable<Key>, what: string): void => {
    t.same([...new Set(keysIn(reply.body))].sort(), [...new Set(expected)].sort(), what)
  }
  const visibleOf = (client: ClientName, keys: readonly Key[]): Key[] => keys.filter(k => VISIBLE[client].has(k))

  // A second version of SR1, so vread of an old version and history have something to show.
  const sr1 = (await get('admin', path('SR1'))).body
  t.equal((await call('admin', 'PUT', path('SR1'), { ...sr1, priority: 'urgent' })).status, 200)

  await t.test('read: 200 within reach, 404 otherwise (existence does not leak)', async (t) => {
    for (const client of CLIENT_NAMES) {
      for (const key of KEYS) {
        const reply = await get(client, path(key))
        t.equal(reply.status, VISIBLE[client].has(key) ? 200 : 404, `${client} reads ${key}`)
        assertNoForeignData(t, client, reply, `read ${key}`)
      }
    }
  })

  await t.test('vread of an old version and history follow the resource', async (t) => {
    for (const client of CLIENT_NAMES) {
      const visible = VISIBLE[client].has('SR1')
      const old = await get(client, `${path('SR1')}/_history/1`)
      t.equal(old.status, visible ? 200 : 404, `${client} vreads SR1 version 1`)
      assertNoForeignData(t, client, old, 'vread')
      const history = await get(client, `${path('SR1')}/_history`)
      t.equal(history.status, visible ? 200 : 404, `${client} reads SR1's history`)
      if (visible) t.equal(history.body.total, 2)
      assertNoForeignData(t, client, history, 'instance history')
      const typeHistory = await get(client, 'ServiceRequest/_history?_count=100')
      t.equal(typeHistory.status, 200)
      sameKeys(t, typeHistory, visibleOf(client, ['SR1', 'SR1a', 'SR2', 'SR3', 'SR4']), `${client}: type history holds exactly the referrals within reach`)
      t.equal(typeHistory.body.total, typeHistory.body.entry.length, `${client}: the history total counts only what is within reach`)
      assertNoForeignData(t, client, typeHistory, 'type history')
    }
  })

  await t.test('search and _summary=count: exactly the resources within reach', async (t) => {
    const byType: Record<string, Key[]> = {}
    for (const key of KEYS) (byType[world.typeOf[key]] ??= []).push(key)
    for (const client of CLIENT_NAMES) {
      for (const [type, keys] of Object.entries(byType)) {
        const expected = visibleOf(client, keys)
        // Every request of this test writes an AuditEvent (src/audit/): the admin sees the
        // world's one among them; no other client sees any.
        if (type === 'AuditEvent' && client === 'admin') {
          const audits = await get(client, `AuditEvent?_id=${world.id.AE}`)
          t.equal(audits.body.entry.length, 1, 'admin finds the world\'s AuditEvent')
          t.ok((await get(client, 'AuditEvent?_summary=count')).body.total > 1, 'admin counts the audit trail')
          continue
        }
        const page = await get(client, `${type}?_count=100`)
        t.equal(page.status, 200)
        sameKeys(t, page, expected, `${client} searches ${type}`)
        assertNoForeignData(t, client, page, `search ${type}`)
        const counted = await get(client, `${type}?_summary=count`)
        t.equal(counted.body.total, expected.length, `${client} counts ${type}`)
        // Paging walks only what is within reach too.
        if (expected.length > 1) {
          const first = await get(client, `${type}?_count=1&_total=accurate`)
          t.equal(first.body.total, expected.length, `${client}: _total of ${type}`)
          const next = first.body.link.find((l: any) => l.relation === 'next')?.url as string
          const second = await get(client, next.slice(next.indexOf('/fhir/') + 6))
          t.equal(keysIn(second.body).length, 1, `${client}: the second page of ${type}`)
          assertNoForeignData(t, client, second, `page 2 of ${type}`)
        }
      }
    }
  })

  await t.test('_include and _revinclude never include what is out of reach', async (t) => {
    const query = 'ServiceRequest?_include=ServiceRequest:based-on&_include=ServiceRequest:subject&_revinclude=Task:focus&_revinclude=Observation:based-on&_count=100'
    const all = keysIn((await get('admin', query)).body)
    for (const client of CLIENT_NAMES) {
      const reply = await get(client, query)
      t.equal(reply.status, 200)
      sameKeys(t, reply, visibleOf(client, all), `${client}: matches and includes within reach`)
      assertNoForeignData(t, client, reply, 'include/revinclude')
    }
    // crm-c holds the onward referral SR1a but not its parent SR1: _include must not bring it in.
    const crm = await get('crmC', `ServiceRequest?_id=${id.SR1a}&_include=ServiceRequest:based-on`)
    sameKeys(t, crm, ['SR1a'], 'the parent referral is not included for the CRM')
  })

  await t.test('chained parameters and _has test only resources within reach', async (t) => {
    const taskRoutes: Array<[Key, Key, Key]> = [['T1', 'SR1a', 'P1'], ['T2', 'SR2', 'P2'], ['T4', 'SR4', 'P4']]
    for (const client of CLIENT_NAMES) {
      const v = VISIBLE[client]
      const chained = await get(client, 'Task?focus:ServiceRequest.subject:Patient.gender=female')
      t.equal(chained.status, 200)
      sameKeys(t, chained, taskRoutes.filter(([task, referral, person]) => v.has(task) && v.has(referral) && v.has(person)).map(([task]) => task), `${client}: two-level chain`)
      assertNoForeignData(t, client, chained, 'chain')
      const has = await get(client, `Patient?_has:Observation:subject:performer=Organization/${id.orgC}`)
      t.equal(has.status, 200)
      sameKeys(t, has, ([['P1', 'O1'], ['P4', 'O4c']] as Array<[Key, Key]>).filter(([p, o]) => v.has(p) && v.has(o)).map(([p]) => p), `${client}: _has`)
      assertNoForeignData(t, client, has, '_has')
      const hasCount = await get(client, `Patient?_has:Observation:subject:performer=Organization/${id.orgC}&_summary=count`)
      t.equal(hasCount.body.total, keysIn(has.body).length, `${client}: _has counted`)
      if (client !== 'dash') {
        const byNumber = await get(client, `Observation?subject:Patient.identifier=${NHS}|${PEOPLE.P4.nhs}`)
        t.equal(byNumber.status, 200)
        sameKeys(t, byNumber, v.has('P4') ? visibleOf(client, ['O4', 'O4c']) : [], `${client}: chain by NHS number`)
        assertNoForeignData(t, client, byNumber, 'chain by NHS number')
      }
    }
  })

  await t.test('dashboard: de-identified, refuses identifying searches, and leaves out refused evaluation', async (t) => {
    const patients = await get('dash', 'Patient?_count=100')
    t.equal(patients.status, 200)
    for (const entry of patients.body.entry) {
      const resource = entry.resource
      t.notOk('identifier' in resource || 'name' in resource, 'no identifier or name')
      t.equal(resource.birthDate, '1950', 'year of birth only')
      t.ok(resource.meta.security.some((s: any) => s.code === 'REDACTED'), 'marked REDACTED')
    }
    const identifiable = await get('dashId', 'Patient?_count=100')
    for (const person of ['P1', 'P2', 'P4'] as const) t.ok(identifiable.text.includes(PEOPLE[person].nhs), `an identifiable dashboard sees ${person}'s NHS number`)
    const refused = [
      [`Patient?identifier=${NHS}|${PEOPLE.P1.nhs}`, 'identifier'],
      [`Patient?family=${PEOPLE.P1.family}`, 'family'],
      ['Patient?_sort=birthdate', '_sort=birthdate'],
      [`Observation?subject:Patient.name=${PEOPLE.P1.family}`, 'name'],
      [`Observation?subject:identifier=${NHS}|${PEOPLE.P1.nhs}`, 'subject:identifier'],
      ['Patient?_has:Observation:subject:value-string=lonely', 'value-string'],
      ['Task?status-reason:text=alone', 'status-reason:text'],
      ['Patient?birthdate=1950-03', 'birthdate']
    ]
    for (const [query, parameter] of refused) {
      const reply = await get('dash', query as string)
      t.equal(reply.status, 403, `refused: ${query}`)
      t.equal(reply.body.resourceType, 'OperationOutcome')
      t.same(reply.body.issue[0].expression, [parameter], 'naming the parameter')
      t.equal((await get('dashId', query as string)).status, 200, `allowed with identifiable access: ${query}`)
    }
    const byYear = await get('dash', 'Patient?birthdate=1950&_summary=count')
    t.equal(byYear.status, 200, 'a year of birth is not a direct identifier (age bands)')
    t.equal(byYear.body.total, 3)
    // Consent changes take effect on the next request: no caching.
    const count = async (): Promise<number> => (await get('dash', 'Patient?_summary=count')).body.total
    t.equal(await count(), 3, 'P3 refused evaluation: not counted')
    const cn3 = (await get('admin', path('CN3'))).body
    t.equal((await call('admin', 'PUT', path('CN3'), { ...cn3, status: 'inactive' })).status, 200)
    t.equal(await count(), 4, 'consent withdrawn: counted at once')
    t.equal((await get('dash', path('SR3'))).status, 200)
    t.equal((await call('admin', 'PUT', path('CN3'), { ...cn3, status: 'active' })).status, 200)
    t.equal(await count(), 3, 'refusal restored: left out at once')
    t.equal((await get('dash', path('SR3'))).status, 404)
    // provision.period bounds the refusal: lapsed or not yet begun, it does not hold.
    const day = 86_400_000
    const withPeriod = async (period: Record<string, string>): Promise<void> => {
      const current = (await get('admin', path('CN3'))).body
      t.equal((await call('admin', 'PUT', path('CN3'), { ...current, provision: { ...current.provision, period } })).status, 200)
    }
    await withPeriod({ start: new Date(Date.now() - 30 * day).toISOString(), end: new Date(Date.now() - day).toISOString() })
    t.equal(await count(), 4, 'a refusal whose period has ended no longer holds')
    t.equal((await get('dash', path('SR3'))).status, 200)
    await withPeriod({ start: new Date(Date.now() + day).toISOString() })
    t.equal(await count(), 4, 'a refusal dated ahead is not yet in force')
    await withPeriod({ start: new Date(Date.now() - day).toISOString() })
    t.equal(await count(), 3, 'a refusal in its period (open end) holds')
    t.equal((await get('dash', path('SR3'))).status, 404)
  })

  await t.test('writes: exact statuses, and a refused write stores nothing', async (t) => {
    const referral = (requester: string, person: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      resourceType: 'ServiceRequest', status: 'active', intent: 'order',
      code: { coding: [{ system: 'http://snomed.info/sct', code: '871731000000106' }] },
      subject: { reference: `Patient/${person}` }, requester: { reference: `Organization/${requester}` }, ...extra
    })
    const observation = (person: string, performer: string): Record<string, unknown> => ({
      resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://snomed.info/sct', code: '225908003' }] },
      subject: { reference: `Patient/${person}` }, performer: [{ reference: `Organization/${performer}` }], valueBoolean: false
    })
    const current = async (key: Key): Promise<any> => (await get('admin', path(key))).body
    const t1 = await current('T1')
    const t2 = await current('T2')
    const cases: Array<[ClientName, string, () => Promise<Reply>, number]> = [
      ['gpA', 'creates a referral as its own organisation', async () => await call('gpA', 'POST', 'ServiceRequest', referral(id.orgA, id.P1)), 201],
      ['gpA', 'creates a referral as one of its practitioners', async () => await call('gpA', 'POST', 'ServiceRequest', { ...referral(id.orgA, id.P1), requester: { reference: `PractitionerRole/${id.roleA}` } }), 201],
      ['gpA', "creates a referral as another practice's practitioner", async () => await call('gpA', 'POST', 'ServiceRequest', { ...referral(id.orgA, id.P1), requester: { reference: `PractitionerRole/${id.roleB}` } }), 403],
      ['gpA', 'creates a referral as another organisation', async () => await call('gpA', 'POST', 'ServiceRequest', referral(id.orgB, id.P1)), 403],
      ['gpA', 'registers a patient with itself', async () => await call('gpA', 'POST', 'Patient', { resourceType: 'Patient', gender: 'male', generalPractitioner: [{ reference: `Organization/${id.orgA}` }] }), 201],
      ['gpA', 'creates a patient it would not reach', async () => await call('gpA', 'POST', 'Patient', { resourceType: 'Patient', gender: 'male' }), 403],
      ['gpB', "updates another practice's referral", async () => await call('gpB', 'PUT', path('SR1'), { ...sr1, priority: 'asap' }), 404],
      ['gpB', "deletes another practice's referral", async () => await call('gpB', 'DELETE', path('SR1')), 404],
      ['crmC', 'accepts its own task', async () => await call('crmC', 'PUT', path('T1'), { ...t1, status: 'accepted' }), 200],
      ['crmC', "updates another organisation's task", async () => await call('crmC', 'PUT', path('T2'), { ...t2, status: 'accepted' }), 404],
      ['crmC', "patches another organisation's task", async () => await call('crmC', 'PATCH', path('T2'), [{ op: 'replace', path: '/status', value: 'accepted' }]), 404],
      ['crmC', 'patches the referral it holds (read-only to it)', async () => await call('crmC', 'PATCH', path('SR1a'), [{ op: 'add', path: '/priority', value: 'urgent' }]), 403],
      ['crmC', 'creates a task', async () => await call('crmC', 'POST', 'Task', { ...t1, id: undefined, meta: undefined, identifier: undefined }), 403],
      ['crmC', 'records an outcome for its patient', async () => await call('crmC', 'POST', 'Observation', observation(id.P1, id.orgC)), 201],
      ['crmC', 'records an outcome for an unrelated patient', async () => await call('crmC', 'POST', 'Observation', observation(id.P2, id.orgC)), 403],
      ['crmD', "deletes another organisation's outcome", async () => await call('crmD', 'DELETE', path('O1')), 404],
      ['lw', 'makes an onward referral from one addressed to it', async () => await call('lw', 'POST', 'ServiceRequest', referral(id.orgL, id.P1, { basedOn: [{ reference: `ServiceRequest/${id.SR1}` }], performer: [{ reference: `Organization/${id.orgD}` }] })), 201],
      ['lw', 'makes an onward referral from one addressed elsewhere', async () => await call('lw', 'POST', 'ServiceRequest', referral(id.orgL, id.P2, { basedOn: [{ reference: `ServiceRequest/${id.SR2}` }] })), 403],
      ['dash', 'creates anything', async () => await call('dash', 'POST', 'Observation', observation(id.P1, id.orgC)), 403],
      ['dash', 'updates a task', async () => await call('dash', 'PUT', path('T2'), t2), 403],
      ['crmC', 'conditionally updates a task out of reach', async () => await call('crmC', 'PUT', `Task?identifier=${REFERRAL_ID_SYSTEM}|T2`, { ...t2, id: undefined, status: 'accepted' }), 403],
      ['gpB', 'conditionally creates a patient whose match is out of reach', async () => await call('gpB', 'POST', 'Patient', { resourceType: 'Patient', identifier: [{ system: NHS, value: PEOPLE.P1.nhs }], generalPractitioner: [{ reference: `Organization/${id.orgB}` }] }, { 'if-none-exist': `identifier=${NHS}|${PEOPLE.P1.nhs}` }), 201],
      ['crmD', 'reads a referral out of reach in a transaction', async () => await call('crmD', 'POST', '', { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'GET', url: path('SR1') } }] }), 404],
      ['crmC', 'updates its task and an unrelated outcome in one transaction', async () => await call('crmC', 'POST', '', {
        resourceType: 'Bundle', type: 'transaction', entry: [
          { request: { method: 'POST', url: 'Observation' }, resource: observation(id.P2, id.orgC) },
          { request: { method: 'PUT', url: path('T4') }, resource: { ...await current('T4'), status: 'accepted' } }
        ]
      }), 403],
      // The creates of a transaction go in together before their reach is checked: one out of
      // reach still refuses the whole transaction.
      ['gpA', 'registers, in one transaction, a patient with itself and one it would not reach', async () => await call('gpA', 'POST', '', {
        resourceType: 'Bundle', type: 'transaction', entry: [
          { request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', identifier: [{ system: 'urn:test:reach', value: 'in' }], generalPractitioner: [{ reference: `Organization/${id.orgA}` }] } },
          { request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', identifier: [{ system: 'urn:test:reach', value: 'out' }] } }
        ]
      }), 403],
      ['gpB', 'refers a patient out of reach by conditional reference', async () => await call('gpB', 'POST', '', {
        resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'POST', url: 'ServiceRequest' }, resource: { ...referral(id.orgB, 'x'), subject: { reference: `Patient?identifier=${NHS}|${PEOPLE.P3.nhs}` } } }]
      }), 412]
    ]
    for (const [client, what, run, status] of cases) {
      const reply = await run()
      t.equal(reply.status, status, `${client} ${what}: ${status}`)
      if (status >= 400) t.equal(reply.body?.resourceType, 'OperationOutcome', 'an OperationOutcome')
      assertNoForeignData(t, client, reply, what)
    }
    // Nothing of a refused write was stored (seen through the API, as admin).
    t.equal((await get('admin', `ServiceRequest?requester=Organization/${id.orgB}&_summary=count`)).body.total, 1, 'no referral stored as another practice')
    t.equal((await get('admin', `Observation?subject=Patient/${id.P2}&_summary=count`)).body.total, 1, 'no outcome stored for the unrelated patient')
    t.equal((await get('admin', 'Task?_summary=count')).body.total, 3, 'no task created')
    t.equal((await get('admin', 'Patient?identifier=urn:test:reach|&_summary=count')).body.total, 0, 'neither patient of the refused transaction stored')
    t.equal((await current('T2')).meta.versionId, '1', "the other organisation's task is unchanged")
    t.equal((await current('T4')).meta.versionId, '1', 'the refused transaction changed nothing')
    t.equal((await current('SR1')).meta.versionId, '2', "the other practice's referral is unchanged")
    t.equal((await current('SR1a')).priority, undefined, 'the read-only referral is unchanged')
    const conditional = (await get('admin', `Patient?identifier=${NHS}|${PEOPLE.P1.nhs}&_summary=count`)).body.total
    t.equal(conditional, 2, 'the conditional create made a new patient rather than revealing the existing one')
    const batch = await call('crmD', 'POST', '', { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: path('SR2') } }, { request: { method: 'GET', url: path('SR1') } }] })
    t.same(batch.body.entry.map((e: any) => e.response.status.slice(0, 3)), ['200', '404'], 'a batch answers each entry within reach or 404')
    assertNoForeignData(t, 'crmD', batch, 'batch')
  })

  await t.test('refusals and answers log no personal data', async (t) => {
    const output = logs()
    t.ok(output.includes('"statusCode":403') || output.includes('forbidden'), 'refusals were logged')
    for (const { nhs, family } of Object.values(PEOPLE)) t.notOk(holdsValue(output, nhs) || output.includes(family), 'no NHS number or name in the logs')
  })
})

