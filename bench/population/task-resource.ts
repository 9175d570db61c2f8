/**
 * Renders a Task from its dated steps as of a date: status, businessStatus and statusReason from
 * the step reached, lastModified its time, executionPeriod from the first work to the end.
 */
import type { Reference, Resource, Task, TaskOutput } from '@medplum/fhirtypes'
import { FULFILL } from './code-systems.js'
import { journeyState, statusReason } from './journey-codes.js'
import { stepAsOf, type TaskStep } from './task-timeline.js'
import { fhirDateTime } from './time.js'

export interface TaskParts {
  readonly id: string
  readonly focus: Reference<Resource>
  readonly for: Reference<Resource>
  readonly requester: NonNullable<Task['requester']>
  readonly owner: NonNullable<Task['owner']>
  readonly authoredAt: number
  readonly steps: readonly TaskStep[]
  readonly output?: readonly TaskOutput[]
}

const TERMINAL = new Set<Task['status']>(['completed', 'cancelled', 'failed', 'rejected'])

/** Undefined when the Task did not exist yet on `asOf`. */
export function renderTask (parts: TaskParts, asOf: number): Task | undefined {
  const ordered = [...parts.steps].sort((a, b) => a.at - b.at)
  const step = stepAsOf(ordered, asOf)
  if (step === undefined) return undefined
  const started = ordered.find(s => s.at <= asOf && s.status === 'in-progress')
  const ended = TERMINAL.has(step.status) ? step.at : undefined
  const executionPeriod = started === undefined
    ? undefined
    : { start: fhirDateTime(started.at), ...(ended === undefined ? {} : { end: fhirDateTime(ended) }) }
  return {
    resourceType: 'Task',
    id: parts.id,
    status: step.status,
    ...('reason' in step ? { statusReason: statusReason(step.reason) } : {}),
    businessStatus: journeyState(step.state),
    intent: 'order',
    code: { coding: [FULFILL] },
    focus: parts.focus,
    for: parts.for,
    ...(executionPeriod === undefined ? {} : { executionPeriod }),
    authoredOn: fhirDateTime(parts.authoredAt),
    lastModified: fhirDateTime(step.at),
    requester: parts.requester,
    owner: parts.owner,
    ...(parts.output === undefined || parts.output.length === 0 ? {} : { output: [...parts.output] })
  }
}
