/**
 * CPU profile of the compiled gateway under create or read load: builds it, starts it with
 * --cpu-prof on a fresh PostgreSQL database, drives it with autocannon, stops it with SIGTERM
 * (so V8 writes the profile) and prints the functions with the most self time, by package.
 * It shows shares, not speeds: use it to find what to optimise, and `npm run bench` to measure.
 * Usage: tsx bench/profile-server.ts create|read|inbound [seconds] [auth]  (auth: authentication on, one bearer token)
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon, { type Result } from 'autocannon'
import { buildGateway } from './build-gateway.js'
import { GATEWAY_NODE_ARGS } from './gateway-node-args.js'
import { startChild, stopChild } from './children.js'
import { createBenchDatabase } from './database.js'
import { gpReferralPayload } from './mapping/payloads.js'
import { makeReferral } from './referral.js'
import { authOnEnv, benchBearer, makeBenchClient } from './auth/client.js'

const [mode = 'create', secondsArg = '15', authArg] = process.argv.slice(2)
const seconds = Number(secondsArg)
const projectRoot = fileURLToPath(new URL('..', import.meta.url))
const db = await createBenchDatabase('postgres://root@127.0.0.1:5432/test')
const profDir = mkdtempSync(join(tmpdir(), 'prof-'))
const client = authArg === 'auth' ? await makeBenchClient(profDir) : undefined
const gateway = await startChild({
  name: 'gateway',
  script: buildGateway(projectRoot),
  nodeArgs: [...GATEWAY_NODE_ARGS, '--cpu-prof', `--cpu-prof-dir=${profDir}`],
  cwd: projectRoot,
  env: { LOG_LEVEL: 'silent', DATABASE_URL: db.url, DEAD_LETTER_KEY: '0'.repeat(64), ...(client === undefined ? { AUTH_DISABLED: 'true', RATE_LIMIT_MAX: '0' } : authOnEnv(client)) },
  readyPath: '/readyz'
})
const origin = `http://127.0.0.1:${gateway.port}`
try {
  const auth = client === undefined ? {} : await benchBearer(origin, client)
  const ids: string[] = []
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${origin}/fhir/ServiceRequest`, { method: 'POST', headers: { ...auth, 'content-type': 'application/fhir+json' }, body: JSON.stringify(makeReferral()) })
    ids.push(((await res.json()) as { id: string }).id)
  }
  const requests = mode === 'create'
    ? [{ method: 'POST', path: '/fhir/ServiceRequest', headers: { ...auth, 'content-type': 'application/fhir+json' }, setupRequest: (r: object) => ({ ...r, body: JSON.stringify(makeReferral()) }) }]
    : mode === 'inbound'
      ? [{ method: 'POST', path: '/inbound/gp-referral-json', headers: { ...auth, 'content-type': 'application/json', 'x-sender': 'bench' }, setupRequest: (r: object) => ({ ...r, body: JSON.stringify(gpReferralPayload()) }) }]
      : [{ method: 'GET', headers: auth, setupRequest: (r: object) => ({ ...r, path: `/fhir/ServiceRequest/${ids[Math.floor(Math.random() * ids.length)] ?? ''}` }) }]
  const result = await new Promise<Result>((resolve, reject) => {
    autocannon({ url: origin, connections: 16, duration: seconds, requests }, (err, res) => { if (err !== null) reject(err); else resolve(res) })
  })
  const answered = Object.values(result.statusCodeStats).reduce((s, c) => s + c.count, 0)
  console.log(`${mode}: ${Math.round(answered / seconds)} req/s, non-2xx ${result.non2xx}`)
} finally {
  await stopChild(gateway)
  await db.drop()
}

interface ProfileNode { callFrame: { functionName: string, url: string, lineNumber: number }, hitCount: number }
const file = readdirSync(profDir).find(f => f.endsWith('.cpuprofile'))
if (file === undefined) throw new Error(`no profile written in ${profDir}`)
const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as { nodes: ProfileNode[] }
const samples = profile.nodes.reduce((s, n) => s + n.hitCount, 0)
const byFunction = new Map<string, number>()
const byPackage = new Map<string, number>()
for (const n of profile.nodes) {
  const url = n.callFrame.url
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.includes('/dist/') ? 'gateway' : url === '' ? `(${n.callFrame.functionName || 'native'})` : 'node')
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + n.hitCount)
  const key = `${n.callFrame.functionName || '(anon)'} ${url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, 'dist/')}:${n.callFrame.lineNumber}`
  byFunction.set(key, (byFunction.get(key) ?? 0) + n.hitCount)
}
const top = (m: Map<string, number>, k: number): string => [...m].sort((a, b) => b[1] - a[1]).slice(0, k)
  .map(([name, hits]) => `${(100 * hits / samples).toFixed(1).padStart(5)}%  ${name}`).join('\n')
console.log(`\nby package:\n${top(byPackage, 15)}\n\nby function (self):\n${top(byFunction, 40)}`)
console.log(`\nprofile: ${join(profDir, file)}`)
