/**
 * Turns audit records into AuditEvents in the background, a chunk at a time: whenever the server
 * has had no request in flight for `idleMs`, and also under load while about `maxBacklog` records
 * or more written by this process are waiting, so the backlog (and the wait of the first AuditEvent
 * search after a busy spell) stays bounded.
 */
import type { AuditTrail } from './audit-trail.js'

export interface IdleMaterialiserSettings {
  /** How long the server must have been without requests before it works through the backlog. */
  readonly idleMs: number
  /** Records this process may leave waiting while busy before it works on them anyway. */
  readonly maxBacklog: number
}

export interface IdleMaterialiser {
  requestStarted(): void
  requestEnded(): void
  /** Stops the timer and waits for a chunk in progress. */
  stop(): Promise<void>
}

export function startIdleMaterialiser (trail: Pick<AuditTrail, 'materialiseSome' | 'backlog'>, settings: IdleMaterialiserSettings, onError: (err: unknown) => void): IdleMaterialiser {
  let inFlight = 0
  let lastActivity = Date.now()
  let working: Promise<void> | undefined
  let stopped = false
  const isIdle = (): boolean => inFlight === 0 && Date.now() - lastActivity >= settings.idleMs
  const work = async (): Promise<void> => {
    try {
      // Idle: until the backlog is gone or a request arrives. Busy: until it is back under the cap.
      const due = (): boolean => !stopped && trail.backlog() > 0 && (isIdle() || trail.backlog() >= settings.maxBacklog)
      while (due()) {
        if (await trail.materialiseSome() === 0) break
      }
    } catch (err) {
      onError(err)
    }
  }
  const timer = setInterval(() => {
    if (working !== undefined || stopped) return
    working = work().finally(() => { working = undefined })
  }, settings.idleMs)
  timer.unref()
  return {
    requestStarted: () => { inFlight++; lastActivity = Date.now() },
    requestEnded: () => { inFlight--; lastActivity = Date.now() },
    stop: async () => {
      stopped = true
      clearInterval(timer)
      await working
    }
  }
}
