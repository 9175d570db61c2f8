/**
 * The gateway under test, run as production runs it (`node --import tsx src/server.ts`) on a
 * free loopback port against the measured database. It gets its own process group so that
 * stopping it also stops anything it started, and an exit of the bench never leaves it behind.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'

const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url))
const READY_TIMEOUT_MS = 90_000

export interface Gateway {
  /** http://127.0.0.1:PORT/fhir, also the base the gateway puts in Bundle links. */
  readonly base: string
  stop(): Promise<void>
}

let running: ChildProcess | undefined
// 'exit' handlers cannot wait: a gateway still running when the bench exits is killed outright.
process.on('exit', () => { if (running !== undefined) killGroup(running, 'SIGKILL') })

export async function startGateway (databaseUrl: string, profilesDir: string, counted: readonly string[] = []): Promise<Gateway> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: PROJECT_DIR,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PROFILES_DIR: profilesDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      BASE_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'silent',
      // The search bench measures the store, not authentication (bench/auth/run.ts does).
      AUTH_DISABLED: 'true',
      RATE_LIMIT_MAX: '0',
      SEARCH_COUNTED: counted.join(' ')
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  running = child
  let tail = ''
  const keep = (chunk: Buffer): void => { tail = (tail + chunk.toString()).slice(-4000) }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit')
      killGroup(child, 'SIGTERM')
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    }
    running = undefined
  }

  const deadline = Date.now() + READY_TIMEOUT_MS
  while (true) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode} before it was ready:\n${tail}`)
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`the gateway was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${tail}`)
    }
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) break
    } catch {
      // Not listening yet.
    }
    await sleep(250)
  }
  return { base: `http://127.0.0.1:${port}/fhir`, stop }
}

function killGroup (child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // Already gone.
  }
}

async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (address === null || typeof address === 'string') throw new Error('no free port')
  return address.port
}
