/**
 * Child processes of the bench (the gateway and the bare Fastify server). Each runs in its own
 * process group because `tsx` is a launcher that starts the real node process as its child:
 * signalling the group reaches both. Every child is remembered so an exit, Ctrl-C or crash of
 * the bench still ends them, each by its own group id.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'

export interface Child {
  readonly name: string
  readonly process: ChildProcess
  readonly port: number
  /** The process that serves (tsx's child), whose memory is measured. */
  readonly serverPid: number
  /** The last lines it wrote, for error messages. */
  output(): string
}

const live = new Set<ChildProcess>()

/**
 * The project's tsx, started with the bench's own node (the pinned Node 22) rather than through
 * its `#!/usr/bin/env node` shebang, so the children run on the same Node whatever PATH says.
 */
const TSX_CLI = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url))

/** Signals the child's process group (tsx and the node process it launched). */
function killGroup (child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // Already gone.
  }
}

// A synchronous last resort: 'exit' handlers cannot wait, so whatever is still running is killed.
process.on('exit', () => { for (const child of live) killGroup(child, 'SIGKILL') })

/** A port the OS says is free now; the child binds it moments later, on 127.0.0.1 only. */
export async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

export interface ChildSpec {
  readonly name: string
  /** Absolute path of the entry point: compiled JavaScript runs on node, TypeScript through tsx. */
  readonly script: string
  /** Extra node flags for a JavaScript entry point (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[]
  /** Working directory: where the gateway finds profiles/ and its package.json, as in production. */
  readonly cwd: string
  readonly env: Record<string, string>
  /** Polled until it answers 200 (migrations and definition loading take seconds). */
  readonly readyPath: string
}

/**
 * Starts `script` on a free 127.0.0.1 port and waits until it is ready: compiled JavaScript
 * with node itself, TypeScript through tsx.
 */
export async function startChild (spec: ChildSpec): Promise<Child> {
  const { name, script, cwd, env, readyPath } = spec
  const port = await freePort()
  const args = script.endsWith('.js') ? [...(spec.nodeArgs ?? []), script] : [TSX_CLI, script]
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  live.add(child)
  child.once('exit', () => live.delete(child))
  let tail = ''
  const keep = (chunk: Buffer): void => { tail = (tail + chunk.toString()).slice(-4000) }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)

  const deadline = Date.now() + 60_000
  while (true) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before it was ready:\n${tail}`)
    if (Date.now() > deadline) {
      killGroup(child, 'SIGKILL')
      throw new Error(`${name} was not ready within 60 s:\n${tail}`)
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}${readyPath}`)
      if (res.ok) break
    } catch {
      // Not listening yet.
    }
    await sleep(200)
  }
  return { name, process: child, port, serverPid: serverProcessOf(child.pid as number), output: () => tail }
}

/** The deepest descendant of pid: the node process tsx launched, or pid itself. */
function serverProcessOf (pid: number): number {
  let current = pid
  for (let depth = 0; depth < 4; depth++) {
    let children: string[]
    try {
      children = readFileSync(`/proc/${current}/task/${current}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
    } catch {
      break
    }
    if (children.length !== 1) break
    current = Number(children[0])
  }
  return current
}

/** SIGTERM (the gateway then finishes in-flight requests), SIGKILL after 15 s. */
export async function stopChild (child: Child): Promise<void> {
  const proc = child.process
  if (proc.exitCode !== null || proc.signalCode !== null) {
    killGroup(proc, 'SIGKILL')
    return
  }
  const exited = once(proc, 'exit')
  killGroup(proc, 'SIGTERM')
  const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
  // tsx's child may outlive tsx by a moment; make sure nothing of the group is left.
  killGroup(proc, 'SIGKILL')
}

/** Stops every child still running (used on Ctrl-C and on errors). */
export async function stopAll (): Promise<void> {
  await Promise.all([...live].map(async proc => {
    const exited = once(proc, 'exit')
    killGroup(proc, 'SIGTERM')
    const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }))
}
