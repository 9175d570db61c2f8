/**
 * Broken copies of valid resources for tests that compare a fast check with medplum's: each copy
 * has one change a client could send, at a random place chosen by a seeded generator, so a
 * failure names a reproducible copy.
 */

export type Json = Record<string, unknown>

/** Every object in a resource with the path to it, for placing one change. */
export function objectsOf (value: unknown, path: string[] = [], found: Array<{ path: string[], object: Json }> = []): Array<{ path: string[], object: Json }> {
  if (Array.isArray(value)) value.forEach((item, i) => objectsOf(item, [...path, String(i)], found))
  else if (value !== null && typeof value === 'object') {
    found.push({ path, object: value as Json })
    for (const [key, item] of Object.entries(value)) objectsOf(item, [...path, key], found)
  }
  return found
}

/** A small deterministic generator, so a failure names a reproducible copy. */
export function seeded (seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state / 2_147_483_648
  }
}

export const BREAKS: Record<string, (object: Json, key: string) => void> = {
  'drop the key': (o, k) => { Reflect.deleteProperty(o, k) },
  'add an unknown key': (o) => { o.notAnElement = 'x' },
  'a null': (o, k) => { o[k] = null },
  'a number for text': (o, k) => { o[k] = typeof o[k] === 'number' ? 'seven' : 7 },
  'text for an object': (o, k) => { o[k] = typeof o[k] === 'object' ? 'text' : { text: 'x' } },
  'an empty value': (o, k) => { o[k] = Array.isArray(o[k]) ? [] : typeof o[k] === 'object' ? {} : '' },
  'whitespace only': (o, k) => { o[k] = '   ' },
  'a day that does not exist': (o, k) => { o[k] = '2023-02-30' },
  'a single value for a list and a list for a single value': (o, k) => { o[k] = Array.isArray(o[k]) ? (o[k] as unknown[])[0] : [o[k]] },
  'a reference to a type not allowed': (o) => { o.reference = 'Substance/1' },
  'a second variant of a choice': (o, k) => { if (/[a-z][A-Z]/.test(k)) o[`${k.replace(/[A-Z].*$/, '')}String`] = 'x' },
  'a primitive extension': (o, k) => { o[`_${k}`] = { id: 'e' } },
  'a fractional integer': (o, k) => { o[k] = 1.5 },
  'a negative count': (o, k) => { o[k] = -1 }
}

/** A copy of the resource `text` with one change from BREAKS at a random place, and what it was. */
export function brokenCopy (text: string, random: () => number): { copy: Json, change: string } | undefined {
  const copy = JSON.parse(text) as Json
  const places = objectsOf(copy)
  const place = places[Math.floor(random() * places.length)]
  const keys = place === undefined ? [] : Object.keys(place.object)
  const key = keys[Math.floor(random() * keys.length)]
  const names = Object.keys(BREAKS)
  const name = names[Math.floor(random() * names.length)] ?? ''
  if (place === undefined || key === undefined) return undefined
  BREAKS[name]?.(place.object, key)
  return { copy, change: `${name} at ${[...place.path, key].join('.')}` }
}
