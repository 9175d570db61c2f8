/**
 * A Task's history as dated steps; rendering shows the last step reached by the "as of" date.
 * Statuses follow the Gravity referral Task state machine (standards.md §3.3), which never uses
 * ready or received; a reason accompanies every rejected, cancelled, on-hold or failed step.
 */
import type { Task } from '@medplum/fhirtypes'
import type { JourneyState, StatusReason } from './journey-codes.js'

export type TaskStatus = Task['status']

export type TaskStep =
  | { readonly at: number, readonly status: 'requested' | 'accepted' | 'in-progress' | 'completed', readonly state: JourneyState }
  | { readonly at: number, readonly status: 'rejected' | 'cancelled' | 'on-hold' | 'failed', readonly state: JourneyState, readonly reason: StatusReason }

export const STATUSES_NEEDING_REASON: ReadonlySet<TaskStatus> = new Set(['rejected', 'cancelled', 'on-hold', 'failed'])

/** The latest step at or before `asOf`; steps must be in time order. */
export function stepAsOf (steps: readonly TaskStep[], asOf: number): TaskStep | undefined {
  let reached: TaskStep | undefined
  for (const step of steps) {
    if (step.at > asOf) break
    reached = step
  }
  return reached
}
