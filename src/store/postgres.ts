/** Database on a PostgreSQL server through node-postgres' connection pool. */
import pg from 'pg'
import type { Database, Queryable, QueryOptions } from './database.js'
import { statementName } from './statement-names.js'

export function createPostgresDatabase (url: string, poolSize: number): Database {
  const pool = new pg.Pool({ ...withoutJit(url), max: poolSize })
  // An idle client that loses its connection emits 'error'; without a listener that would crash
  // the process. The pool discards the client and the next query opens a new one.
  pool.on('error', () => {})

  const query = async <Row>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<{ rows: Row[] }> => {
    const result = await pool.query(queryConfig(sql, params, options))
    return { rows: result.rows as Row[] }
  }

  return {
    kind: 'postgres',
    query,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const tx: Queryable = {
          async query<Row>(sql: string, params?: readonly unknown[], options?: QueryOptions) {
            const result = await client.query(queryConfig(sql, params, options))
            return { rows: result.rows as Row[] }
          }
        }
        const value = await fn(tx)
        await client.query('COMMIT')
        return value
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {})
        throw err
      } finally {
        client.release()
      }
    },
    async exec (sql: string) {
      await pool.query(sql)
    },
    async close () {
      await pool.end()
    }
  }
}

function queryConfig (sql: string, params: readonly unknown[] | undefined, options: QueryOptions | undefined): pg.QueryConfig {
  const config: pg.QueryConfig = { text: sql, values: params as unknown[] | undefined }
  if (options?.prepare === true) config.name = statementName(sql)
  return config
}

/**
 * No JIT: search plans are index lookups, and a misestimated row count must not add tens of
 * milliseconds of compilation to them. Options in the URL (?options=-c search_path=…) are kept:
 * node-postgres lets the URL's options replace, not extend, the configured ones.
 */
function withoutJit (url: string): { connectionString: string, options: string } {
  try {
    const parsed = new URL(url)
    const options = parsed.searchParams.get('options')
    parsed.searchParams.delete('options')
    return { connectionString: parsed.toString(), options: `${options ?? ''} -c jit=off`.trim() }
  } catch {
    return { connectionString: url, options: '-c jit=off' }
  }
}
