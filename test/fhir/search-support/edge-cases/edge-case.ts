/**
 * Table-driven edge cases: a section holds a few resources under readable keys and the searches
 * over them, each with the keys R4 says it returns. Resources are PUT with ids "<section>-<key>",
 * and "@key" inside them stands for such an id, so references read naturally.
 */
import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { FHIR, FHIR_JSON } from '../../../helper.js'

export type Json = Record<string, unknown>

export { OWN_BASE, TEST_BASE_URL } from '../pools.js'

export interface EdgeCase {
  /** Type and query as a client writes it, unencoded: 'Patient?birthdate=2024'. */
  readonly search: string
  /** Keys of this section's resources the search must return, in any order. */
  readonly expect: readonly string[]
  readonly why?: string
  /**
   * KNOWN SERVER BUG: what is wrong and where. The case then runs as a tap todo, reported but
   * not failing, until the bug is fixed and this is removed.
   */
  readonly bug?: string
  /** Keys whose membership R4 leaves open for this search; not compared. */
  readonly ignore?: readonly string[]
}

export interface EdgeSection {
  readonly name: string
  readonly resources: Readonly<Record<string, Json>>
  readonly cases: readonly EdgeCase[]
}

/** Creates the section's resources; returns the key of each id. */
export async function loadSection (app: FastifyInstance, section: EdgeSection): Promise<Map<string, string>> {
  const keyOf = new Map<string, string>()
  for (const [key, resource] of Object.entries(section.resources)) {
    const id = `${section.name}-${key}`
    const body = JSON.parse(JSON.stringify({ ...resource, id }).replace(/@([A-Za-z0-9]+)/g, (_, k: string) => `${section.name}-${k}`)) as Json
    const res = await app.inject({ method: 'PUT', url: `${FHIR}/${String(body.resourceType)}/${id}`, headers: FHIR_JSON, payload: body })
    if (res.statusCode !== 201) throw new Error(`${section.name}/${key} was not created (${res.statusCode}): ${res.body}`)
    keyOf.set(id, key)
  }
  return keyOf
}

/** Encodes 'Type?a=1&b=2' the way a client would, keeping the values exactly as written. */
export function searchUrl (search: string): string {
  const at = search.indexOf('?')
  const params = new URLSearchParams()
  for (const pair of search.slice(at + 1).split('&')) {
    const eq = pair.indexOf('=')
    params.append(pair.slice(0, eq), pair.slice(eq + 1))
  }
  params.append('_count', '1000')
  return `${FHIR}/${search.slice(0, at)}?${params.toString()}`
}

/** One tap subtest per case; a case with a known bug runs as todo, so it reports without failing. */
export async function runSection (t: Test, app: FastifyInstance, section: EdgeSection): Promise<void> {
  const keyOf = await loadSection(app, section)
  for (const c of section.cases) {
    const options = c.bug === undefined ? {} : { todo: `KNOWN SERVER BUG: ${c.bug}` }
    await t.test(c.search, options, async (t) => {
      const res = await app.inject({ method: 'GET', url: searchUrl(c.search) })
      t.equal(res.statusCode, 200, 'answers a searchset')
      if (res.statusCode !== 200) return t.comment(res.body)
      const ignored = new Set(c.ignore ?? [])
      const entries = (res.json() as { entry?: Array<{ resource: { id: string } }> }).entry ?? []
      // Only this section's resources are compared: the other sections share the database.
      const keys = entries.map(e => keyOf.get(e.resource.id)).filter((k): k is string => k !== undefined && !ignored.has(k))
      t.same([...keys].sort(), [...c.expect].sort(), c.why ?? 'returns exactly the expected resources')
    })
  }
}
