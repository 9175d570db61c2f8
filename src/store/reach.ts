/**
 * The resources a restricted caller may touch, as SQL over the search index tables: every read
 * path (search, count, paging, _include/_revinclude, chains, _has, read, vread, history,
 * conditional matching) adds the same test to its statement, so nothing out of reach is ever
 * counted, paged or included, and nothing is filtered after the fact.
 *
 * An unrestricted caller has no Reach at all (undefined), so its statements stay exactly as
 * they were: the admin path costs no extra SQL.
 */
import { param, type SqlContext } from './search-conditions.js'

/** What is asked of a resource: to see it, to create it (as written), or to change or delete it. */
export type ReachMode = 'read' | 'create' | 'update'

/**
 * The SQL test that the resource of `type` whose id is the SQL expression `id` is within reach,
 * binding its parameters into `ctx`. 'true' and 'false' are answers too: a type everyone may
 * read, or one this caller may never see.
 */
export type ReachRule = (ctx: SqlContext, type: string, id: string) => string

export interface Reach {
  readonly read: ReachRule
  readonly create: ReachRule
  readonly update: ReachRule
}

export function reachTest (ctx: SqlContext, reach: Reach, mode: ReachMode, type: string, id: string): string {
  return `(${reach[mode](ctx, type, id)})`
}

/**
 * The test for a row `alias` (columns resource_type, id) that may be of any of `types`: one
 * branch per type, each with its type as a constant, so each can use the index tables.
 */
export function reachTestAnyType (ctx: SqlContext, reach: Reach, mode: ReachMode, types: readonly string[], alias: string, idColumn = 'id'): string {
  const branches = types.flatMap(type => {
    const test = reach[mode](ctx, type, `${alias}.${idColumn}`)
    return test === 'false' ? [] : [`(${alias}.resource_type = ${param(ctx, type)} AND (${test}))`]
  })
  return branches.length === 0 ? 'false' : `(${branches.join(' OR ')})`
}
