/**
 * Names for server-side prepared statements. node-postgres parses a named statement once per
 * connection and afterwards only binds and executes it, which saves the parse and plan of the
 * large create statement on every request. The name is derived from the SQL text, so equal
 * texts share one statement and a changed text can never run under a stale name.
 */
import { createHash } from 'node:crypto'

const names = new Map<string, string>()

export function statementName (sql: string): string {
  let name = names.get(sql)
  if (name === undefined) {
    name = `sp_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`
    names.set(sql, name)
  }
  return name
}
