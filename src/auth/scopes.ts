/**
 * SMART system scopes: what a granted scope allows, and which requested scopes a client may have.
 * v2 form `system/<Type|*>.<c r u d s>` (letters in that order, any subset), and the v1 forms
 * `system/<Type|*>.read` (= rs), `.write` (= cud) and `.*` (= cruds).
 * https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 * Scopes with query constraints (`system/Observation.rs?category=…`) are not supported: they do
 * not parse, so they are never granted (the registry refuses them at start-up).
 */

/** One letter of a SMART v2 scope: create, read (read/vread/history), update (update/patch), delete, search. */
export type Interaction = 'c' | 'r' | 'u' | 'd' | 's'

export interface ParsedScope {
  /** A resource type or `*`. */
  readonly type: string
  readonly interactions: ReadonlySet<Interaction>
}

const V2 = /^system\/([A-Z][A-Za-z]+|\*)\.(c?r?u?d?s?)$/
const V1 = /^system\/([A-Z][A-Za-z]+|\*)\.(read|write|\*)$/
const V1_LETTERS: Record<string, string> = { read: 'rs', write: 'cud', '*': 'cruds' }

export function parseScope (scope: string): ParsedScope | undefined {
  const v2 = V2.exec(scope)
  const match = v2 ?? V1.exec(scope)
  if (match === null) return undefined
  const [, type = '', rest = ''] = match
  const letters = v2 === null ? V1_LETTERS[rest] ?? '' : rest
  if (letters === '') return undefined
  return { type, interactions: new Set(letters.split('') as Interaction[]) }
}

/** Whether any of the scopes allows `interaction` on resources of `type`. */
export function scopesAllow (scopes: readonly ParsedScope[], type: string, interaction: Interaction): boolean {
  return scopes.some(scope => (scope.type === '*' || scope.type === type) && scope.interactions.has(interaction))
}

/** Whether `inner` allows nothing that `outer` does not. */
function covers (outer: ParsedScope, inner: ParsedScope): boolean {
  if (outer.type !== '*' && outer.type !== inner.type) return false
  for (const interaction of inner.interactions) if (!outer.interactions.has(interaction)) return false
  return true
}

/**
 * The scopes a token may carry: each requested scope that one registered scope covers, as
 * requested (so a client can ask for less than it was granted). Unparseable or uncovered requests
 * are dropped, as SMART allows; the caller refuses the request when nothing is left.
 * Without a request, every registered scope.
 */
export function grantScopes (registered: readonly string[], requested: readonly string[] | undefined): string[] {
  if (requested === undefined) return [...registered]
  const allowed = registered.map(parseScope).filter((s): s is ParsedScope => s !== undefined)
  return [...new Set(requested)].filter(scope => {
    const parsed = parseScope(scope)
    return parsed !== undefined && allowed.some(outer => covers(outer, parsed))
  })
}
