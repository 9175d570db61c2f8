/**
 * The one database interface the store speaks. PostgreSQL (pg) and embedded PGlite both
 * implement it, so every SQL statement in store/ runs unchanged on either.
 */
export interface QueryOptions {
  /**
   * The SQL text comes from a small fixed set of shapes (the hot create, read and update
   * statements), so the server may keep it parsed and planned per connection. Never set it on
   * SQL built from request input such as searches: each distinct text would be kept for the
   * connection's life.
   */
  readonly prepare?: boolean
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<{ rows: Row[] }>
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite'
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>
  close(): Promise<void>
}
