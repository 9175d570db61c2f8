/**
 * The real server process: a 2xx means committed (SIGKILL loses nothing acknowledged), SIGTERM
 * finishes in-flight requests, and bad configuration stops start-up with a clear message.
 */
import { test, type Test } from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import pg from 'pg'
import type { AuditEvent } from '@medplum/fhirtypes'
import { freePort, isolatedDatabaseUrl, referral, temporaryDirectory } from './helper.js'

// One process (node with tsx's loader), not the tsx CLI: the CLI runs the server in a child
// process, and a SIGKILL to the CLI would leave that child running.
const SERVER_ARGS = ['--import', 'tsx', join(process.cwd(), 'src', 'server.ts')]

interface Running { readonly child: ChildProcess, readonly base: string, readonly output: () => string }

async function startServer (t: Test, env: Record<string, string>): Promise<Running> {
  const port = await freePort()
  const child = spawn(process.execPath, SERVER_ARGS, {
    env: { ...process.env, AUTH_DISABLED: 'true', ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += String(chunk) })
  child.stderr?.on('data', (chunk: Buffer) => { output += String(chunk) })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${output}`)
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { child, base, output: () => output }
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 200))
  }
  throw new Error(`server did not become ready: ${output}`)
}

async function storeEnv (t: Test): Promise<Record<string, string>> {
  const databaseUrl = await isolatedDatabaseUrl(t)
  return databaseUrl !== undefined
    ? { DATABASE_URL: databaseUrl }
    : { DATA_DIR: await temporaryDirectory(t, 'gateway-data-') }
}

test('every acknowledged create survives SIGKILL and restart', async (t) => {
  const env = await storeEnv(t)
  const first = await startServer(t, env)
  const acknowledged: string[] = []
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${first.base}/fhir/ServiceRequest`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(referral()) })
      if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id)
    }
  }))
  t.equal(acknowledged.length, 80)
  // Reads answered just before the kill: each answer was sent only once its audit record was
  // committed, long before the idle second after which records become AuditEvents.
  const readIds = acknowledged.slice(0, 16).map((id, i) => ({ id, requestId: `killed-read-${i}` }))
  const reads = await Promise.all(readIds.map(async ({ id, requestId }) => (await fetch(`${first.base}/fhir/ServiceRequest/${id}`, { headers: { 'x-request-id': requestId } })).status))
  t.same(reads, readIds.map(() => 200))
  first.child.kill('SIGKILL')
  await once(first.child, 'exit')

  const second = await startServer(t, env)
  let found = 0
  for (const id of acknowledged) {
    if ((await fetch(`${second.base}/fhir/ServiceRequest/${id}`)).status === 200) found++
  }
  t.equal(found, acknowledged.length, 'every acknowledged resource is there after the crash')
  const audits = await (await fetch(`${second.base}/fhir/AuditEvent?subtype=read,create&_count=500`)).json() as { entry?: Array<{ resource: AuditEvent }> }
  const events = (audits.entry ?? []).map(entry => entry.resource)
  const created = new Set(events.filter(event => event.subtype?.[0]?.code === 'create').flatMap(event => (event.entity ?? []).map(entity => entity.what?.reference)))
  t.ok(acknowledged.every(id => created.has(`ServiceRequest/${id}/_history/1`)), 'every acknowledged create has its AuditEvent')
  const readRequests = new Set(events.filter(event => event.subtype?.[0]?.code === 'read').flatMap(event => (event.entity ?? []).map(entity => entity.what?.identifier?.value)))
  t.ok(readIds.every(({ requestId }) => readRequests.has(requestId)), 'every answered read has its AuditEvent')
  second.child.kill('SIGTERM')
  await once(second.child, 'exit')
})

test('audit records become AuditEvents while the server is idle, without any AuditEvent search', { skip: process.env.DATABASE_URL === undefined ? 'reads the PostgreSQL tables beside the running server' : false }, async (t) => {
  const env = await storeEnv(t)
  const server = await startServer(t, env)
  const created = await fetch(`${server.base}/fhir/ServiceRequest`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(referral()) })
  const id = ((await created.json()) as { id: string }).id
  for (let i = 0; i < 5; i++) await fetch(`${server.base}/fhir/ServiceRequest/${id}`)
  const db = new pg.Client({ connectionString: env.DATABASE_URL })
  await db.connect()
  t.teardown(async () => { await db.end() })
  const counts = async (): Promise<{ waiting: number, events: number }> => {
    const { rows } = await db.query<{ waiting: string, events: string }>(`SELECT (SELECT count(*) FROM audit_record) AS waiting, (SELECT count(*) FROM resource WHERE resource_type = 'AuditEvent') AS events`)
    return { waiting: Number(rows[0]?.waiting), events: Number(rows[0]?.events) }
  }
  const deadline = Date.now() + 10_000
  let now = await counts()
  while (now.waiting > 0 && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 250))
    now = await counts()
  }
  t.same(now, { waiting: 0, events: 6 }, 'the create and five reads, each an AuditEvent, none left waiting')
  server.child.kill('SIGTERM')
  await once(server.child, 'exit')
})

test('SIGTERM lets an in-flight transaction finish before exiting', async (t) => {
  const env = await storeEnv(t)
  const server = await startServer(t, env)
  const entries = Array.from({ length: 300 }, () => ({ resource: referral(), request: { method: 'POST', url: 'ServiceRequest' } }))
  const inFlight = fetch(`${server.base}/fhir`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: entries }) })
  await new Promise(resolve => setTimeout(resolve, 150))
  const exited = once(server.child, 'exit')
  server.child.kill('SIGTERM')
  const res = await inFlight
  t.equal(res.status, 200, 'the in-flight request was answered')
  const bundle = await res.json() as { entry: unknown[] }
  t.equal(bundle.entry.length, 300)
  const [code] = await exited
  t.equal(code, 0, `clean exit; output: ${server.output().slice(-2000)}`)
})

test('a bad configuration value stops start-up with a message naming it', async (t) => {
  const child = spawn(process.execPath, SERVER_ARGS, { env: { ...process.env, PORT: 'not-a-port' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => { stderr += String(chunk) })
  const [code] = await once(child, 'exit')
  t.equal(code, 78)
  t.match(stderr, /Invalid configuration: PORT/)
})
