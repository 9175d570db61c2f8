/**
 * Where the machine's CPU went during a measured window, in cores: the process serving the phase
 * (gateway or bare server), the bench process (autocannon, or the raw driver loops), PostgreSQL
 * working for the bench (backends on its database, plus the WAL writer, checkpointer and
 * background writer), and everything else. On a small shared box this tells a phase limited by
 * the server's one JavaScript thread from one where the machine was full, and shows how much
 * other work (the "other" share) shared the machine.
 */
import { readdirSync, readFileSync } from 'node:fs'

/** Linux reports /proc times in USER_HZ ticks, 100 per second on every mainstream build. */
const TICKS_PER_SECOND = 100

export interface CpuUse {
  /** Cores used by the serving process; undefined for phases without one (raw driver). */
  readonly server: number | undefined
  readonly bench: number
  /** PostgreSQL processes working for the bench; 0 with PGlite (it runs inside a process above). */
  readonly database: number
  /** The rest of the machine's busy time: other users' work, the kernel's own threads. */
  readonly other: number
  readonly machine: number
}

interface Snapshot {
  readonly server: number | undefined
  readonly bench: NodeJS.CpuUsage
  /** Ticks per PostgreSQL process, so processes that come or go are counted fairly. */
  readonly database: ReadonlyMap<number, number>
  readonly busy: number
  readonly at: number
}

export class CpuMeter {
  private start: Snapshot | undefined

  /** databaseName: the bench's PostgreSQL database, whose backends count as "database". */
  constructor (private readonly serverPid: number | undefined, private readonly databaseName: string | undefined) {}

  begin (): void {
    this.start = this.snapshot()
  }

  end (): CpuUse | undefined {
    const a = this.start
    if (a === undefined) return undefined
    const b = this.snapshot()
    const seconds = (b.at - a.at) / 1000
    const cores = (ticks: number): number => ticks / TICKS_PER_SECOND / seconds
    const server = a.server === undefined || b.server === undefined ? undefined : cores(b.server - a.server)
    const bench = (b.bench.user + b.bench.system - a.bench.user - a.bench.system) / 1e6 / seconds
    const database = cores(ticksSince(a.database, b.database))
    const machine = cores(b.busy - a.busy)
    return { server, bench, database, other: Math.max(0, machine - (server ?? 0) - bench - database), machine }
  }

  private snapshot (): Snapshot {
    return {
      server: this.serverPid === undefined ? undefined : processTicks(this.serverPid),
      bench: process.cpuUsage(),
      database: this.databaseName === undefined ? new Map() : postgresTicks(this.databaseName),
      busy: machineBusyTicks(),
      at: Date.now()
    }
  }
}

/** utime + stime of one process (fields 14 and 15 of /proc/<pid>/stat). */
function processTicks (pid: number): number | undefined {
  try {
    // The command name (field 2) may hold spaces, so split after its closing parenthesis.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return undefined
  }
}

/**
 * Time used between two snapshots by processes alive at the second. A process that ended in
 * between takes its ticks with it (a pool closing an idle connection), so totals cannot be
 * subtracted: that would charge a whole life's CPU to the window as a negative.
 */
function ticksSince (before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let total = 0
  for (const [pid, ticks] of after) total += ticks - (before.get(pid) ?? 0)
  return total
}

/**
 * PostgreSQL processes retitle themselves "postgres: <cluster>: <user> <database> <client> <state>"
 * (backends) or "postgres: <cluster>: walwriter" (auxiliary processes); both kinds count.
 */
function postgresTicks (databaseName: string): Map<number, number> {
  const ticks = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let title: string
    try {
      title = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
    } catch {
      continue
    }
    if (!title.startsWith('postgres: ')) continue
    if (title.includes(` ${databaseName} `) || /: (walwriter|checkpointer|background writer)/.test(title)) {
      const used = processTicks(Number(entry))
      if (used !== undefined) ticks.set(Number(entry), used)
    }
  }
  return ticks
}

/** All CPU time except idle and iowait, summed over cores (first line of /proc/stat). */
function machineBusyTicks (): number {
  const values = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number)
  const total = values.reduce((sum, v) => sum + v, 0)
  return total - (values[3] ?? 0) - (values[4] ?? 0)
}
