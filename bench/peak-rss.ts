/**
 * Memory of the gateway process from /proc/<pid>/status. VmHWM is the kernel's own high-water mark
 * of resident memory, so it captures short peaks a poller would miss; the sampler still reads it
 * every second so the last value survives the process exiting. resetPeak lets the bench tell the
 * start-up peak (loading FHIR definitions) apart from the peak under load.
 */
import { readFileSync, writeFileSync } from 'node:fs'

export interface MemorySample {
  /** Peak resident set size so far, in MB (10^6 bytes, the unit of the memory target). */
  readonly peakMB: number
  /** Current resident set size, in MB. */
  readonly rssMB: number
}

export function readMemory (pid: number): MemorySample | undefined {
  let status: string
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8')
  } catch {
    return undefined
  }
  // The kernel's "kB" is KiB.
  const bytes = (field: string): number => 1024 * Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
  return { peakMB: bytes('VmHWM') / 1e6, rssMB: bytes('VmRSS') / 1e6 }
}

export interface MemorySampler {
  /** The latest reading (the peak only ever grows). */
  latest(): MemorySample | undefined
  stop(): void
}

export function sampleMemory (pid: number, everyMs = 1000): MemorySampler {
  let last = readMemory(pid)
  const timer = setInterval(() => { last = readMemory(pid) ?? last }, everyMs)
  timer.unref()
  return {
    latest: () => { last = readMemory(pid) ?? last; return last },
    stop: () => clearInterval(timer)
  }
}

/**
 * Resets VmHWM to the current RSS (writing 5 to clear_refs, Linux 4.0+; allowed for our own
 * child). Returns false where the kernel refuses, in which case peaks stay cumulative.
 */
export function resetPeak (pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}
