/**
 * The admin path costs no SQL: an unrestricted caller's search, count, include, read, vread,
 * history and conditional match send exactly the statements they sent with no caller at all,
 * while a restricted caller's carry its reach. Run through the interactions on a real database.
 */
import t from 'tap'
import type { Resource } from '@medplum/fhirtypes'
import { UNRESTRICTED_CALLER, type Caller } from '../../src/auth/caller.js'
import { loadConfig } from '../../src/config.js'
import { GatewayError } from '../../src/errors.js'
import { createFhirContext } from '../../src/fhir/fhir-context.js'
import { findConditionalMatches } from '../../src/fhir/interactions/conditional.js'
import { createResource } from '../../src/fhir/interactions/create.js'
import { readHistoryBundle } from '../../src/fhir/interactions/history.js'
import { readResource, vreadResource } from '../../src/fhir/interactions/read.js'
import { executeSearch } from '../../src/fhir/search/execute.js'
import type { Queryable } from '../../src/store/database.js'
import { migrate } from '../../src/store/migrate.js'
import { openDatabase } from '../../src/store/open.js'
import { isolatedDatabaseUrl } from '../helper.js'

const ADMIN_CLIENT: Caller = { clientId: 'ops', role: 'admin', scopes: ['system/*.cruds'], identifiable: true }
const CRM: Caller = { clientId: 'crm', role: 'vcfse-crm', odsCode: 'V0001', scopes: ['system/*.cruds'], identifiable: false }

t.test('an admin caller adds no SQL to any read path; a restricted one adds its reach', async t => {
  const url = await isolatedDatabaseUrl(t)
  const db = await openDatabase(loadConfig({ DATA_DIR: ':memory:', ...(url === undefined ? {} : { DATABASE_URL: url }) }).store)
  t.teardown(async () => { await db.close() })
  await migrate(db)
  const fhirBaseUrl = 'http://gateway.test/fhir'
  const ctx = createFhirContext({ profiles: new Map(), searchParameters: [], unknownProfile: 'warn', fhirBaseUrl, searchDefaultCount: 20, searchMaxCount: 100, searchDefaultTotal: 'accurate' })
  const patient = await db.transaction(async tx => await createResource(ctx, tx, { resourceType: 'Patient', gender: 'female' } as Resource))
  const id = patient.version.id
  await db.transaction(async tx => await createResource(ctx, tx, { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${id}` } } as Resource))

  /** Every statement (text and parameters) the interactions send for one caller. */
  const statementsOf = async (caller: Caller | undefined): Promise<string[]> => {
    const sent: string[] = []
    const recording: Queryable = {
      async query<Row>(sql: string, params?: readonly unknown[]) {
        sent.push(`${sql} ${JSON.stringify(params ?? [])}`)
        return await db.query<Row>(sql, params)
      }
    }
    const request = caller === undefined ? undefined : { caller, requestId: 'test' }
    const search = async (query: string): Promise<void> => {
      await executeSearch(recording, ctx.search, { types: ['Patient'], params: new URLSearchParams(query), endpoint: `${fhirBaseUrl}/Patient`, lenient: false, ...(caller === undefined ? {} : { caller }) })
    }
    await search('gender=female&_revinclude=Observation:subject&_total=accurate')
    await search('_has:Observation:subject:status=final&_summary=count')
    // Out of the CRM's reach these are 404s; the statements are what this test compares.
    const notFound = (err: unknown): void => { if (!(err instanceof GatewayError && err.category === 'not-found')) throw err }
    await readResource(recording, 'Patient', id, false, request).catch(notFound)
    await vreadResource(recording, 'Patient', id, '1', request).catch(notFound)
    await readHistoryBundle(recording, { type: 'Patient', id, params: new URLSearchParams(), selfUrl: `${fhirBaseUrl}/Patient/${id}/_history`, fhirBaseUrl, defaultCount: 10, ...(caller === undefined ? {} : { caller }) }).catch(notFound)
    await db.transaction(async tx => {
      const within: Queryable = { query: async (sql, params) => { sent.push(`${sql} ${JSON.stringify(params ?? [])}`); return await tx.query(sql, params) } }
      await findConditionalMatches(ctx, within, 'Patient', 'gender=female', request)
    })
    return sent
  }
  const none = await statementsOf(undefined)
  t.ok(none.length >= 8, 'the read paths sent their statements')
  t.same(await statementsOf(UNRESTRICTED_CALLER), none, 'AUTH_DISABLED: the same statements')
  t.same(await statementsOf(ADMIN_CLIENT), none, 'an admin client: the same statements')
  const restricted = await statementsOf(CRM)
  t.ok(restricted.filter(sql => sql.includes('search_reference') && sql.includes('V0001')).length >= 6, 'a CRM client: its reach is in the statements')
})
