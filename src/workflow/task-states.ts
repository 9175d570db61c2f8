/**
 * The referral Task state machine as Gravity constrains the FHIR one (standards.md §3.3): who may
 * move where, and which statuses need a reason. Applies to referral Tasks (code fulfill).
 */
import type { Coding, OperationOutcomeIssue, Task } from '@medplum/fhirtypes'
import { TASK_CODE } from '../terminology/systems.js'

type Status = Task['status']

const NEXT: Readonly<Record<string, readonly Status[]>> = {
  draft: ['requested', 'cancelled'],
  requested: ['accepted', 'rejected', 'cancelled'],
  accepted: ['in-progress', 'on-hold', 'completed', 'failed', 'cancelled'],
  'in-progress': ['on-hold', 'completed', 'failed', 'cancelled'],
  'on-hold': ['in-progress', 'completed', 'failed', 'cancelled'],
  rejected: [],
  completed: [],
  failed: [],
  cancelled: [],
  'entered-in-error': []
}

/** Statuses Gravity's referral Task does not use (SDOHCCValueSetReferralTaskStatus). */
const NOT_USED = new Set<string>(['ready', 'received'])

/** Gravity: statusReason (with text) is given whenever a task is rejected, cancelled, put on hold or failed. */
export const NEEDS_REASON = new Set<string>(['rejected', 'cancelled', 'on-hold', 'failed'])

export const TERMINAL = new Set<string>(['rejected', 'completed', 'failed', 'cancelled', 'entered-in-error'])

export function isReferralTask (task: Task): boolean {
  return (task.code?.coding ?? []).some((c: Coding) => c.system === TASK_CODE && c.code === 'fulfill')
}

/** Whether `from` → `to` is allowed; staying put is, and entered-in-error is reachable from anywhere. */
export function isAllowedTransition (from: string, to: string): boolean {
  if (from === to || to === 'entered-in-error') return true
  return (NEXT[from] ?? []).includes(to as Status)
}

export function allowedNext (from: string): readonly string[] {
  return [...(NEXT[from] ?? []), 'entered-in-error']
}

/** Checks on one version of a referral Task, without its history. */
export function checkReferralTask (task: Task): OperationOutcomeIssue[] {
  if (!isReferralTask(task)) return []
  const issues: OperationOutcomeIssue[] = []
  if (NOT_USED.has(task.status)) {
    issues.push({
      severity: 'error',
      code: 'business-rule',
      details: { text: `A referral Task does not use status "${task.status}": use requested, then accepted or rejected` },
      expression: ['Task.status']
    })
  }
  const reasonText = task.statusReason?.text
  if (NEEDS_REASON.has(task.status) && (typeof reasonText !== 'string' || reasonText.trim() === '')) {
    issues.push({
      severity: 'error',
      code: 'required',
      details: { text: `A referral Task that is ${task.status} needs statusReason with text saying why` },
      expression: ['Task.statusReason']
    })
  }
  return issues
}
