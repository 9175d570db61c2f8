/**
 * The creates of one transaction Bundle that nothing else in it can observe before commit go to
 * the database together, as one multi-row INSERT, instead of one round trip each. A create can
 * wait when no journey rule reads or writes around its type; the rows are flushed before any
 * entry that could read them runs, and a restricted caller's reach is checked on each row then.
 */
import { GatewayError } from '../../errors.js'
import type { Queryable } from '../../store/database.js'
import { insertNewResources, type NewResourceRow } from '../../store/resources.js'
import type { InsertNewResource } from '../interactions/create.js'

/** Throws if the caller may not create this stored row (requireWritable); runs after the flush. */
export type CheckCreated = (type: string, id: string) => Promise<void>

export interface DeferredCreates {
  /** An insert for createResource that queues the row of entry `index`. */
  readonly insertFor: (index: number) => InsertNewResource
  /**
   * Writes every queued row, then checks each with `check`. A row whose id was taken meanwhile,
   * or that the check refuses, fails its entry: the error and the entry's index are returned for
   * the caller to report as that entry's failure.
   */
  readonly flush: () => Promise<{ readonly index: number, readonly error: unknown } | undefined>
}

export function deferredCreates (tx: Queryable, check?: CheckCreated): DeferredCreates {
  let queued: Array<{ readonly index: number, readonly row: NewResourceRow }> = []
  return {
    insertFor: index => async (row) => {
      queued.push({ index, row })
      return 'queued'
    },
    async flush () {
      if (queued.length === 0) return undefined
      const batch = queued
      queued = []
      const inserted = await insertNewResources(tx, batch.map(item => item.row))
      const taken = batch.find(item => !inserted.has(`${item.row.type}/${item.row.id}`))
      if (taken !== undefined) return { index: taken.index, error: new GatewayError('conflict', `${taken.row.type}/${taken.row.id} already exists`) }
      if (check === undefined) return undefined
      for (const { index, row } of batch) {
        try {
          await check(row.type, row.id)
        } catch (error) {
          return { index, error }
        }
      }
      return undefined
    }
  }
}
