/**
 * How much a create writes besides its resource row: the gateway keeps search-index tables
 * (any table with a resource_id column) filled in the same statement. Counting their rows per
 * stored resource right after seeding says how many extra rows, each with its own index entries,
 * a referral create costs the database — which the raw INSERT ceiling does not pay.
 * Found from the schema, not from the gateway's code, so it follows the gateway as it changes.
 */
import type { RawDriver } from './raw-store.js'

export interface IndexFootprint {
  /** Search-index rows per resource row. */
  readonly rowsPerResource: number
  /** The index tables holding rows, with rows per resource. */
  readonly tables: ReadonlyArray<{ readonly table: string, readonly rowsPerResource: number }>
}

export async function searchIndexFootprint (driver: RawDriver): Promise<IndexFootprint | undefined> {
  const rowsOf = async (sql: string): Promise<Array<Record<string, string>>> => ((await driver.query(sql, [])) as { rows: Array<Record<string, string>> }).rows
  const resources = Number((await rowsOf('SELECT count(*) AS n FROM resource'))[0]?.n ?? 0)
  if (resources === 0) return undefined
  const tables = (await rowsOf(
    `SELECT table_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND column_name = 'resource_id' ORDER BY table_name`
  )).map(row => row.table_name as string)
  const counted: Array<{ table: string, rowsPerResource: number }> = []
  for (const table of tables) {
    // Names come from the catalogue, not from input; quoted all the same.
    const n = Number((await rowsOf(`SELECT count(*) AS n FROM "${table.replaceAll('"', '""')}"`))[0]?.n ?? 0)
    if (n > 0) counted.push({ table, rowsPerResource: n / resources })
  }
  return { rowsPerResource: counted.reduce((sum, t) => sum + t.rowsPerResource, 0), tables: counted }
}

export function describeFootprint (footprint: IndexFootprint): string {
  const perTable = footprint.tables.map(t => `${t.table} ${round(t.rowsPerResource)}`).join(', ')
  return `Each seeded referral also has ${round(footprint.rowsPerResource)} search-index rows (${perTable}), written by the ` +
    'same create statement; the raw INSERT ceilings write one row'
}

function round (n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1)
}
