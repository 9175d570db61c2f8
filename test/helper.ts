/**
 * Builds the whole gateway for a test on a real database: in-memory PGlite by default, or, when
 * DATABASE_URL is set, PostgreSQL in a schema of its own so parallel test files never share rows.
 */
import type { Test } from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import { createServer } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import pg from 'pg'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'

export const FHIR = '/fhir'
export const FHIR_JSON = { 'content-type': 'application/fhir+json' }

export interface TestApp {
  readonly app: FastifyInstance
  /** Every log line the app wrote, as text. */
  readonly logs: () => string
}

/** An isolated PostgreSQL schema for one test, dropped afterwards; undefined on PGlite. */
export async function isolatedDatabaseUrl (t: Test): Promise<string | undefined> {
  const base = process.env.DATABASE_URL
  if (base === undefined || base === '') return undefined
  const schema = `t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`CREATE SCHEMA ${schema}`)
  await admin.end()
  t.teardown(async () => {
    const cleanup = new pg.Client({ connectionString: base })
    await cleanup.connect()
    await cleanup.query(`DROP SCHEMA ${schema} CASCADE`)
    await cleanup.end()
  })
  const url = new URL(base)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return url.toString()
}

export async function buildTestApp (t: Test, env: Record<string, string> = {}): Promise<TestApp> {
  const databaseUrl = await isolatedDatabaseUrl(t)
  const config = loadConfig({
    LOG_LEVEL: 'info',
    DATA_DIR: ':memory:',
    PROFILES_DIR: './profiles',
    // Most tests exercise the FHIR API itself: authentication and rate limits have their own
    // tests (test/auth/), which turn them on (buildAuthedTestApp in test/auth/helper.ts).
    AUTH_DISABLED: 'true',
    RATE_LIMIT_MAX: '0',
    ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
    ...env
  })
  const lines: string[] = []
  const logStream = new Writable({
    write (chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    }
  })
  const app = await buildApp(config, { logStream })
  t.teardown(async () => { await app.close() })
  await app.ready()
  return { app, logs: () => lines.join('') }
}

/** A small, valid social prescribing referral. */
export function referral (overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'ServiceRequest',
    status: 'active',
    intent: 'order',
    code: { coding: [{ system: 'http://snomed.info/sct', code: '871731000000106', display: 'Referral to social prescribing service' }] },
    subject: { reference: 'Patient/example-patient' },
    authoredOn: '2026-11-01T09:30:00Z',
    ...overrides
  }
}

/** A minimal valid Task (fulfil a request); `overrides` add or replace elements. */
export function task (overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { resourceType: 'Task', status: 'requested', intent: 'order', code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] }, ...overrides }
}

export function patient (nhsNumber: string, family = 'Smith'): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber }],
    name: [{ family, given: ['Alex'] }],
    birthDate: '1950-03-14'
  }
}

/** How many versions of a type exist (current and history), through the public history API. */
export async function versionCount (app: FastifyInstance, type: string): Promise<number> {
  const res = await app.inject({ method: 'GET', url: `${FHIR}/${type}/_history?_count=1` })
  return res.json().total as number
}

/** POSTs a transaction Bundle of `entries` to the base. */
export async function postTransaction (app: FastifyInstance, entries: readonly unknown[]): Promise<LightMyRequestResponse> {
  return await app.inject({ method: 'POST', url: FHIR, headers: FHIR_JSON, payload: { resourceType: 'Bundle', type: 'transaction', entry: entries } })
}

/** The ids a search (`path` after the base, with its query) finds, in order, over every page of `count`. */
export async function searchIds (app: FastifyInstance, path: string, count: number): Promise<string[]> {
  const found: string[] = []
  let url: string | undefined = `${FHIR}/${path}${path.includes('?') ? '&' : '?'}_count=${count}`
  while (url !== undefined) {
    const res = await app.inject({ method: 'GET', url })
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`)
    const bundle = res.json()
    found.push(...(bundle.entry ?? []).map((e: { resource: { id: string } }) => e.resource.id))
    const next = (bundle.link ?? []).find((l: { relation: string }) => l.relation === 'next')?.url as string | undefined
    url = next === undefined ? undefined : next.slice(next.indexOf(FHIR))
  }
  return found
}

/**
 * Whether `text` holds `value` as a value of its own: digits inside a longer run of digits (a
 * float such as a response time of 1.9000000009 ms) are not an NHS number in the logs.
 */
export function holdsValue (text: string, value: string): boolean {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(?<![0-9])${escaped}(?![0-9])`).test(text)
}

/** A TCP port free on 127.0.0.1 right now, for a test that starts a real server process. */
export async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  return port
}

/**
 * A new empty directory under the system's temporary directory, removed when `t` ends. tap runs
 * teardowns last-registered first, so whatever a test starts on the directory afterwards (a
 * server, an app) is stopped before the directory goes.
 */
export async function temporaryDirectory (t: Test, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  t.teardown(async () => { await rm(dir, { recursive: true, force: true, maxRetries: 3 }) })
  return dir
}
