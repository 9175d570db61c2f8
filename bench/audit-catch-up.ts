/**
 * What turning audit records into AuditEvents costs. The gateway writes a narrow audit record
 * per request and turns records into AuditEvent resources later, in bulk (docs/audit.md). Right
 * after each gateway phase the bench asks for the AuditEvent count, which makes the gateway catch
 * up first, and measures that: records turned, seconds, and CPU of the gateway and PostgreSQL. So
 * the deferred work is reported beside the phase that caused it, and is done before the next phase.
 */
import { CpuMeter } from './cpu.js'
import type { Round } from './round-setup.js'

export interface CatchUpMeasurement {
  readonly records: number
  readonly seconds: number
  /** CPU seconds used over the catch-up (undefined where not measurable). */
  readonly serverCpuSeconds: number | undefined
  readonly databaseCpuSeconds: number
}

/** Counts AuditEvents (catching up); `previous` is the count the last call returned. */
export async function catchUpAudit (round: Round, previous: number): Promise<{ count: number, measurement: CatchUpMeasurement }> {
  const meter = new CpuMeter(round.gateway.serverPid, round.databaseName)
  meter.begin()
  const started = performance.now()
  const res = await fetch(`http://127.0.0.1:${round.gateway.port}/fhir/AuditEvent?_summary=count`, { headers: { accept: 'application/fhir+json' } })
  if (res.status !== 200) throw new Error(`AuditEvent count answered ${res.status}: ${await res.text()}`)
  const count = ((await res.json()) as { total: number }).total
  const seconds = (performance.now() - started) / 1000
  const use = meter.end()
  return {
    count,
    measurement: {
      // The previous count's own search is one of these.
      records: Math.max(0, count - previous - 1),
      seconds,
      serverCpuSeconds: use?.server === undefined ? undefined : use.server * seconds,
      databaseCpuSeconds: (use?.database ?? 0) * seconds
    }
  }
}
