/**
 * The six measured phases of a round and the load each one applies. Reads come before writes in
 * a round, so every read phase sees the same table sizes.
 */
import type { RequestParams } from 'autocannon'
import { randomUUID } from 'node:crypto'
import type { Child } from './children.js'
import { CpuMeter } from './cpu.js'
import { measureHttp, type HttpPhase } from './http-load.js'
import type { BenchOptions } from './options.js'
import { measureRawGatewayInsert, measureRawInsert, measureRawSelect } from './raw-store.js'
import { makeReferral } from './referral.js'
import type { Round } from './round-setup.js'
import type { Measurement } from './stats.js'

export type PhaseKey = 'bare' | 'rawSelect' | 'read' | 'rawInsert' | 'rawGatewayInsert' | 'create'

export const PHASE_ORDER: readonly PhaseKey[] = ['bare', 'rawSelect', 'read', 'rawInsert', 'rawGatewayInsert', 'create']

export function phaseLabels (store: BenchOptions['store']): Record<PhaseKey, string> {
  const driver = store === 'postgres' ? 'pg' : 'PGlite'
  return {
    bare: 'bare Fastify route (GET, small JSON)',
    rawSelect: `raw PK SELECT (${driver})`,
    read: 'gateway read (GET ServiceRequest/id)',
    rawInsert: `raw INSERT (${driver})`,
    rawGatewayInsert: `raw INSERT into a copy of the gateway's resource table (${driver})`,
    create: 'gateway create (POST ServiceRequest)'
  }
}

/** One closure per phase; each runs its own warm-up and then its measurement. */
export function definePhases (options: BenchOptions, round: Round, bare: Child): Record<PhaseKey, () => Promise<Measurement>> {
  const load = { connections: options.connections, warmupSeconds: options.warmupSeconds, seconds: options.seconds }
  const meter = (serverPid: number | undefined): CpuMeter => new CpuMeter(serverPid, round.databaseName)
  const onGateway = { ...load, cpu: meter(round.gateway.serverPid) }
  const loop = { workers: options.connections, warmupSeconds: options.warmupSeconds, seconds: options.seconds, cpu: meter(undefined) }
  const gatewayOrigin = `http://127.0.0.1:${round.gateway.port}`
  const { seededIds, raw, rawIds } = round
  const randomSeeded = (): string => seededIds[Math.floor(Math.random() * seededIds.length)] ?? randomUUID()

  const bareRoute: HttpPhase = { origin: `http://127.0.0.1:${bare.port}`, requests: [{ method: 'GET', path: '/' }] }
  const read: HttpPhase = {
    origin: gatewayOrigin,
    requests: [{
      method: 'GET',
      path: `/fhir/ServiceRequest/${randomSeeded()}`,
      headers: { accept: 'application/fhir+json' },
      // Random seeded ids: no two consecutive requests ask for the same row.
      setupRequest: (request: RequestParams) => ({ ...request, path: `/fhir/ServiceRequest/${randomSeeded()}` })
    }]
  }
  const create: HttpPhase = {
    origin: gatewayOrigin,
    requests: [{
      method: 'POST',
      path: '/fhir/ServiceRequest',
      headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' },
      body: JSON.stringify(makeReferral()),
      // A new referral per request: new subject, identifier and date, as in real traffic.
      setupRequest: (request: RequestParams) => ({ ...request, body: JSON.stringify(makeReferral()) })
    }]
  }
  return {
    bare: async () => await measureHttp(bareRoute, { ...load, cpu: meter(bare.serverPid) }),
    rawSelect: async () => await measureRawSelect(raw, rawIds, loop),
    read: async () => await measureHttp(read, onGateway),
    rawInsert: async () => await measureRawInsert(raw, rawIds, loop),
    rawGatewayInsert: async () => await measureRawGatewayInsert(raw, loop),
    create: async () => await measureHttp(create, { ...onGateway, seconds: options.createSeconds, sliceSeconds: options.sliceSeconds })
  }
}
