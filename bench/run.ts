/**
 * `npm run bench`: measures, in one run on one machine, the gateway's read and create against the
 * ceilings it cannot beat here (a bare Fastify route; raw driver INSERT and PK SELECT). Rounds
 * interleave every phase, so slow changes in a shared machine's load touch all of them alike, and
 * each round starts from a fresh store of `seedRows` rows. Everything is bounded in time, talks
 * only to 127.0.0.1, and cleans up its children, databases and files however it ends.
 * Progress goes to stderr; the report (markdown) to stdout.
 */
import { buildGateway } from './build-gateway.js'
import { fileURLToPath } from 'node:url'
import { startChild, stopAll, stopChild } from './children.js'
import { Cleanup } from './cleanup.js'
import { describeRun, loadAverage } from './environment.js'
import { describeFootprint } from './index-footprint.js'
import { parseOptions } from './options.js'
import { definePhases, PHASE_ORDER, phaseLabels, type PhaseKey } from './phases.js'
import { catchUpAudit, type CatchUpMeasurement } from './audit-catch-up.js'
import type { CaughtUpPhase } from './report.js'
import { checkpoint } from './raw-store.js'
import { renderMarkdown, targets, type MemoryReport, type PhaseResult, type Report } from './report.js'
import { setUpRound } from './round-setup.js'
import { medianOf, type Measurement } from './stats.js'

function log (message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}

const runCleanup = new Cleanup(log)
let roundCleanup = new Cleanup(log)

async function cleanUpAll (): Promise<void> {
  await roundCleanup.run()
  await runCleanup.run()
  await stopAll()
}

async function main (): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env)
  const major = Number(process.versions.node.split('.')[0])
  if (major !== 22) throw new Error(`Run with the project's Node 22 (export PATH=$PWD/node_modules/.bin:$PATH); this is ${process.version}`)
  const labels = phaseLabels(options.store)
  const environment = describeRun(options.gatewayDir)

  log(`building the gateway in ${options.gatewayDir}`)
  const gatewayScript = buildGateway(options.gatewayDir)

  // The bare server holds no state, so one serves every round.
  log('starting the bare Fastify server')
  const bare = await startChild({
    name: 'bare',
    script: fileURLToPath(new URL('./bare-server.ts', import.meta.url)),
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: {},
    readyPath: '/'
  })
  runCleanup.defer(async () => { await stopChild(bare) })

  const results: Record<PhaseKey, Measurement[]> = { bare: [], rawSelect: [], read: [], rawInsert: [], rawGatewayInsert: [], create: [] }
  const memories: MemoryReport[] = []
  const rowsAtEnd: number[] = []
  /** 1-minute load average at the end of each round: other work on a shared machine shows here. */
  const loads: number[] = []
  const catchUps: Record<CaughtUpPhase, CatchUpMeasurement[]> = { read: [], create: [] }
  for (let round = 1; round <= options.rounds; round++) {
    log(`round ${round}/${options.rounds}: setting up`)
    roundCleanup = new Cleanup(log)
    const setup = await setUpRound(options, gatewayScript, roundCleanup, log)
    if (round === 1) {
      environment.push(setup.storeNote)
      if (setup.footprint !== undefined) environment.push(describeFootprint(setup.footprint))
    }
    const phases = definePhases(options, setup, bare)
    // Seeding left audit records too: they become AuditEvents now, outside every measurement.
    let auditEvents = (await catchUpAudit(setup, 0, options.store === 'postgres')).count
    for (const key of PHASE_ORDER) {
      log(`round ${round}/${options.rounds}: ${labels[key]}`)
      await checkpoint(setup.raw)
      const m = await phases[key]()
      results[key].push(m)
      log(`  ${Math.round(m.rps)} req/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms` +
        (m.failed > 0 ? `, ${m.failed} failed (${m.firstFailure ?? '?'})` : ''))
      if (setup.gateway.process.exitCode !== null) throw new Error(`the gateway exited during the run:\n${setup.gateway.output()}`)
      if (key === 'read' || key === 'create') {
        const caught = await catchUpAudit(setup, auditEvents, options.store === 'postgres')
        auditEvents = caught.count
        catchUps[key].push(caught.measurement)
        log(`  then ${caught.measurement.records} audit records became AuditEvents in ${caught.measurement.seconds.toFixed(1)} s (${caught.measurement.duringPhase} already had during the phase)`)
      }
    }
    loads.push(loadAverage())
    const rows = await setup.gatewayRows()
    if (rows !== undefined) rowsAtEnd.push(rows)
    const last = setup.memory.latest()
    memories.push({
      staged: setup.staged,
      startupPeakMB: setup.startupPeakMB,
      seedPeakMB: setup.seedPeakMB,
      loadPeakMB: last?.peakMB ?? Number.NaN,
      endRssMB: last?.rssMB ?? Number.NaN
    })
    await roundCleanup.run()
  }
  await cleanUpAll()

  environment.push(`1-minute load average at the end of each round: ${loads.map(l => l.toFixed(2)).join(' / ')} ` +
    `(this includes the bench itself: ${options.connections} connections or loops, the gateway and the database)`)
  const report: Report = {
    options,
    environment,
    phases: summarise(results, labels),
    memory: worstOf(memories),
    rowsAtEnd: rowsAtEnd.length === 0 ? undefined : Math.max(...rowsAtEnd),
    catchUps
  }
  process.stdout.write(`\n${renderMarkdown(report)}\n`)
  const missed = targets(report).filter(t => !t.pass)
  log(missed.length === 0 ? 'all targets met' : `targets missed: ${missed.map(t => t.name).join('; ')}`)
}

function summarise (results: Record<PhaseKey, Measurement[]>, labels: Record<PhaseKey, string>): Record<PhaseKey, PhaseResult> {
  const phase = (key: PhaseKey): PhaseResult => ({ label: labels[key], rounds: results[key], median: medianOf(results[key]) })
  return {
    bare: phase('bare'),
    rawSelect: phase('rawSelect'),
    read: phase('read'),
    rawInsert: phase('rawInsert'),
    rawGatewayInsert: phase('rawGatewayInsert'),
    create: phase('create')
  }
}

/** Memory is judged by its worst round, not its median: a limit must hold every time. */
function worstOf (memories: readonly MemoryReport[]): MemoryReport {
  const max = (pick: (m: MemoryReport) => number): number => Math.max(...memories.map(pick))
  return {
    staged: memories.every(m => m.staged),
    startupPeakMB: max(m => m.startupPeakMB),
    seedPeakMB: max(m => m.seedPeakMB),
    loadPeakMB: max(m => m.loadPeakMB),
    endRssMB: max(m => m.endRssMB)
  }
}

// Ctrl-C or a kill: stop the children, drop the database, remove files, then exit.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`)
    void cleanUpAll().finally(() => process.exit(130))
  })
}

try {
  await main()
} catch (err) {
  log(`failed: ${(err as Error).stack ?? String(err)}`)
  await cleanUpAll()
  process.exitCode = 1
}
