/**
 * Seeds the population with the project's own seeder (`bench/population/seed.ts`, bulk create
 * through the store on worker threads) as a child process, and reads back the rate it reports.
 * The machine's load is sampled meanwhile: a seeding rate on a shared 2-core box means little
 * without it.
 */
import { spawn } from 'node:child_process'
import os from 'node:os'
import { fileURLToPath } from 'node:url'

const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url))

export interface SeedResult {
  readonly resources: number
  readonly seconds: number
  readonly rate: number
  /** The seeder's summary (counts by type, realised proportions), as printed. */
  readonly summary: string
  readonly loadBefore: number
  /** Mean of the 1-minute load average sampled every 5 s while seeding. */
  readonly meanLoad: number
}

export interface SeedRequest {
  readonly databaseUrl: string
  readonly profilesDir: string
  readonly patients: number
  readonly seed: number
  readonly asOf: string
}

export async function seedPopulation (request: SeedRequest): Promise<SeedResult> {
  const loadBefore = os.loadavg()[0] ?? Number.NaN
  const loads: number[] = []
  const sampler = setInterval(() => { loads.push(os.loadavg()[0] ?? Number.NaN) }, 5000)
  // Bounded: even at 500 resources/s (a heavily loaded machine) 10 resources per patient fit.
  const timeoutMs = Math.max(600_000, request.patients * 20)
  try {
    const output = await runSeeder(request, timeoutMs)
    const match = /resources written: (\d+) in ([\d.]+) s = (\d+) resources\/s/.exec(output)
    if (match === null) throw new Error(`the seeder printed no summary:\n${output.slice(-2000)}`)
    return {
      resources: Number(match[1]),
      seconds: Number(match[2]),
      rate: Number(match[3]),
      summary: output.slice(match.index),
      loadBefore,
      meanLoad: loads.length === 0 ? loadBefore : loads.reduce((a, b) => a + b, 0) / loads.length
    }
  } finally {
    clearInterval(sampler)
  }
}

async function runSeeder (request: SeedRequest, timeoutMs: number): Promise<string> {
  const args = ['--import', 'tsx', 'bench/population/seed.ts',
    '--patients', String(request.patients), '--seed', String(request.seed), '--as-of', request.asOf]
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_DIR,
    env: { ...process.env, DATABASE_URL: request.databaseUrl, PROFILES_DIR: request.profilesDir },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  let printed = 0
  const keep = (chunk: Buffer): void => {
    output += chunk.toString()
    // Whole lines only, each marked; they carry counts and rates (the seeder prints no content).
    const end = output.lastIndexOf('\n') + 1
    if (end > printed) process.stdout.write(output.slice(printed, end).replace(/^(?=.)/gm, '  [seed] '))
    printed = Math.max(printed, end)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', resolve)
    })
    if (code !== 0) throw new Error(`the seeder exited with ${code ?? 'a signal'}`)
    return output
  } finally {
    clearTimeout(timer)
  }
}
