/**
 * `merge-conditional-creates` (post): entries of a transaction Bundle that conditionally create
 * the same thing (same type, same If-None-Exist), such as a referring practice that is also the
 * receiving service, become one entry: the first is kept and references to the others' fullUrls
 * point at it. Otherwise the transaction would create two Organizations with one ODS code, and
 * every later conditional create for that code would find two.
 */
import type { StepDefinition } from './step.js'

interface Entry {
  fullUrl?: string
  request?: { method?: string, url?: string, ifNoneExist?: string }
}

export function mergeConditionalCreates (bundle: unknown): unknown {
  const entries = (bundle as { entry?: Entry[] } | null)?.entry
  if (!Array.isArray(entries)) return bundle
  const firstByCondition = new Map<string, Entry>()
  const replaced = new Map<string, string>()
  const kept = entries.filter(entry => {
    const { method, url, ifNoneExist } = entry.request ?? {}
    if (method !== 'POST' || ifNoneExist === undefined) return true
    const key = `${url ?? ''}?${ifNoneExist}`
    const first = firstByCondition.get(key)
    if (first === undefined) {
      firstByCondition.set(key, entry)
      return true
    }
    if (entry.fullUrl !== undefined && first.fullUrl !== undefined) replaced.set(entry.fullUrl, first.fullUrl)
    return false
  })
  if (kept.length === entries.length) return bundle
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') return replaced.get(value) ?? value
    if (Array.isArray(value)) return value.map(rewrite)
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]))
    return value
  }
  return { ...(bundle as object), entry: rewrite(kept) }
}

export const mergeConditionalCreatesStep: StepDefinition = {
  name: 'merge-conditional-creates',
  description: 'Entries creating the same thing conditionally (same type and If-None-Exist) become one; references follow',
  scope: 'document',
  checkOptions: () => undefined,
  apply: value => ({ value: mergeConditionalCreates(value) })
}
