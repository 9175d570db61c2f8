/**
 * CPU profile of the gateway under create or read load: starts the gateway with --cpu-prof on a
 * fresh PostgreSQL database, drives it with autocannon, stops it with SIGTERM (so V8 writes the
 * profile) and prints the functions with the most self time, grouped by package.
 * Usage: tsx bench/profile-server.ts create|read [seconds]
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon, { type Result } from 'autocannon'
import pg from 'pg'
import { makeReferral } from './referral.js'

const [mode = 'create', secondsArg = '15'] = process.argv.slice(2)
const admin = 'postgres://root@127.0.0.1:5432/test'
const dbName = `prof_${process.pid}`
const adminClient = new pg.Client(admin)
await adminClient.connect()
await adminClient.query(`CREATE DATABASE ${dbName}`)
const profDir = mkdtempSync(join(tmpdir(), 'prof-'))
const port = 18000 + (process.pid % 1000)
const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--import', 'tsx', 'src/server.ts'], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATABASE_URL: `postgres://root@127.0.0.1:5432/${dbName}` },
  stdio: 'inherit'
})
const origin = `http://127.0.0.1:${port}`
for (;;) {
  try { if ((await fetch(`${origin}/readyz`)).ok) break } catch {}
  await new Promise(r => setTimeout(r, 200))
}
const ids: string[] = []
for (let i = 0; i < 200; i++) {
  const res = await fetch(`${origin}/fhir/ServiceRequest`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(makeReferral()) })
  ids.push(((await res.json()) as { id: string }).id)
}
const requests = mode === 'create'
  ? [{ method: 'POST' as const, path: '/fhir/ServiceRequest', headers: { 'content-type': 'application/fhir+json' }, setupRequest: (r: any) => ({ ...r, body: JSON.stringify(makeReferral()) }) }]
  : [{ method: 'GET' as const, setupRequest: (r: any) => ({ ...r, path: `/fhir/ServiceRequest/${ids[Math.floor(Math.random() * ids.length)]}` }) }]
const seconds = Number(secondsArg)
const result = await new Promise<Result>((resolve, reject) => {
  autocannon({ url: origin, connections: 16, duration: seconds, requests }, (err, res) => { if (err !== null) reject(err); else resolve(res) })
})
const total = Object.values(result.statusCodeStats).reduce((s, c) => s + c.count, 0)
console.log(`${mode}: ${Math.round(total / seconds)} req/s, non-2xx ${result.non2xx}`)
child.kill('SIGTERM')
await new Promise(r => child.on('exit', r))
await adminClient.query(`DROP DATABASE ${dbName} WITH (FORCE)`)
await adminClient.end()

interface Node { id: number, callFrame: { functionName: string, url: string, lineNumber: number }, hitCount: number, children?: number[] }
const file = readdirSync(profDir).find(f => f.endsWith('.cpuprofile'))!
const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as { nodes: Node[] }
const samples = profile.nodes.reduce((s, n) => s + n.hitCount, 0)
const byFunction = new Map<string, number>()
const byPackage = new Map<string, number>()
for (const n of profile.nodes) {
  const url = n.callFrame.url
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.includes('/src/') ? 'src' : url === '' ? `(${n.callFrame.functionName || 'native'})` : 'node')
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + n.hitCount)
  const key = `${n.callFrame.functionName || '(anon)'} ${url.replace(/.*node_modules\//, '').replace(/.*\/src\//, 'src/')}:${n.callFrame.lineNumber}`
  byFunction.set(key, (byFunction.get(key) ?? 0) + n.hitCount)
}
const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, hits]) => `${(100 * hits / samples).toFixed(1).padStart(5)}%  ${name}`).join('\n')
console.log(`\nby package:\n${top(byPackage, 15)}\n\nby function (self):\n${top(byFunction, 40)}`)
console.log(`\nprofile: ${join(profDir, file)}`)
