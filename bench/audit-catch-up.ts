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
  /** Records still waiting when the phase ended, turned by the catch-up. */
  readonly records: number
  /** Records the gateway turned while the phase ran (its backlog cap), already in the phase's rate. */
  readonly duringPhase: number
  readonly seconds: number
  /** CPU seconds used over the catch-up (undefined where not measurable). */
  readonly serverCpuSeconds: number | undefined
  readonly databaseCpuSeconds: number
}

/**
 * Counts AuditEvents (catching up); `previous` is the count the last call returned. On
 * PostgreSQL the records waiting are counted first (the raw driver shares the gateway's
 * database); on PGlite they cannot be, and all new AuditEvents are taken as waiting.
 */
export async function catchUpAudit (round: Round, previous: number, postgres: boolean): Promise<{ count: number, measurement: CatchUpMeasurement }> {
  const waiting = postgres ? await waitingRecords(round) : undefined
  const meter = new CpuMeter(round.gateway.serverPid, round.databaseName)
  meter.begin()
  const started = performance.now()
  const count = await countAuditEvents(`http://127.0.0.1:${round.gateway.port}`)
  const seconds = (performance.now() - started) / 1000
  const use = meter.end()
  // The previous count's own search is one of the new AuditEvents.
  const made = Math.max(0, count - previous - 1)
  return {
    count,
    measurement: {
      records: waiting ?? made,
      duringPhase: waiting === undefined ? 0 : Math.max(0, made - waiting),
      seconds,
      serverCpuSeconds: use?.server === undefined ? undefined : use.server * seconds,
      databaseCpuSeconds: (use?.database ?? 0) * seconds
    }
  }
}

/** The gateway's AuditEvent count, which turns every waiting audit record into its AuditEvent first. */
export async function countAuditEvents (origin: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`${origin}/fhir/AuditEvent?_summary=count`, { headers: { ...headers, accept: 'application/fhir+json' } })
  if (res.status !== 200) throw new Error(`AuditEvent count answered ${res.status}: ${await res.text()}`)
  return ((await res.json()) as { total: number }).total
}

async function waitingRecords (round: Round): Promise<number> {
  const result = await round.raw.query('SELECT count(*) AS n FROM audit_record', []) as { rows: Array<{ n: string }> }
  return Number(result.rows[0]?.n ?? 0)
}
