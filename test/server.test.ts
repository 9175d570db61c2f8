/**
 * The real server process: a 2xx means committed (SIGKILL loses nothing acknowledged), SIGTERM
 * finishes in-flight requests, and bad configuration stops start-up with a clear message.
 */
import { test, type Test } from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, isolatedDatabaseUrl, referral } from './helper.js'

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
    : { DATA_DIR: await mkdtemp(join(tmpdir(), 'gateway-data-')) }
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
  first.child.kill('SIGKILL')
  await once(first.child, 'exit')

  const second = await startServer(t, env)
  let found = 0
  for (const id of acknowledged) {
    if ((await fetch(`${second.base}/fhir/ServiceRequest/${id}`)).status === 200) found++
  }
  t.equal(found, acknowledged.length, 'every acknowledged resource is there after the crash')
  second.child.kill('SIGTERM')
  await once(second.child, 'exit')
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
