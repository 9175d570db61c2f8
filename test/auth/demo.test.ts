/**
 * Secure by default, easy locally: `npm start` on the embedded store makes a demo admin client and
 * says how to get a token; `npm run -s token` prints one; without it every FHIR route is 401.
 */
import { test } from 'tap'
import { execFile, spawn } from 'node:child_process'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort, temporaryDirectory } from '../helper.js'

const run = promisify(execFile)

test('the demo admin client of a local gateway', async (t) => {
  const dataDir = await temporaryDirectory(t, 'demo-client-')
  const port = await freePort()
  const { DATABASE_URL: _db, AUTH_DISABLED: _off, AUTH_CLIENTS_FILE: _clients, NODE_ENV: _env, ...inherited } = process.env
  const env = { ...inherited, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' }
  const child = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'src', 'server.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += String(chunk) })
  child.stderr.on('data', (chunk: Buffer) => { output += String(chunk) })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 90_000
  while (!(await fetch(`${base}/readyz`).then(res => res.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start: ${output}`)
    await new Promise(resolve => setTimeout(resolve, 200))
  }

  t.match(output, 'TOKEN=$(npm run -s token)', 'start-up says how to get a token')
  t.equal((await stat(join(dataDir, 'auth', 'demo-client.json'))).mode & 0o777, 0o600, 'the demo key is private to its owner')
  t.equal((await fetch(`${base}/fhir/Patient`)).status, 401, 'never open')

  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'tools/token/token.ts'], { env, timeout: 30_000 })
  const token = stdout.trim()
  t.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'prints only the token')
  const res = await fetch(`${base}/fhir/Patient?_count=1`, { headers: { authorization: `Bearer ${token}` } })
  t.equal(res.status, 200)
  t.notOk(output.includes(token.split('.')[2] ?? 'x'), 'the token is not logged')
})
