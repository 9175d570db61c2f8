/**
 * Hostile search requests: parameter names and values that are nearly right (real codes with odd
 * modifiers, prefixes, chains, _has, result parameters) or plainly wrong (random Unicode, broken
 * %-encoding, huge numbers, forged cursors), sent to type, POST _search and system searches.
 */
import fc from 'fast-check'

export interface Pair { readonly name: string, readonly value: string }

/** A cursor the server issued, with the search it belongs to (path and query without _cursor). */
export interface IssuedCursor { readonly path: string, readonly query: string, readonly cursor: string }

export interface FuzzRequest {
  readonly method: 'GET' | 'POST'
  readonly path: string
  /** The query (or form body for POST) exactly as sent, %-encoding and all. */
  readonly raw: string
}

export interface ParamInfo { readonly name: string, readonly type: string }

/** What the server told us it supports (CapabilityStatement), so names are often real. */
export interface Vocabulary {
  readonly params: ReadonlyMap<string, readonly ParamInfo[]>
  readonly types: readonly string[]
}

const MODIFIERS = ['missing', 'not', 'exact', 'contains', 'text', 'in', 'not-in', 'below', 'above', 'of-type', 'identifier', 'iterate', 'Patient', 'Organization', 'Spaceship', '', ':']
const PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap', 'xx', '']
const RESULT_PARAMS = ['_sort', '_include', '_revinclude', '_include:iterate', '_count', '_cursor', '_total', '_summary', '_elements', '_format', '_pretty', '_type']
const NASTY = [
  '', ' ', ',', ',,', '|', '||', '|||', '\\', '\\,', '\\|', '$', '$$', 'a$b$c', '*', '%', '_', "'", '"', ';--', 'null', 'true', 'NaN', 'Infinity', '-Infinity',
  '-1', '-0', '0', '1e309', '-1e309', '1e-400', '9'.repeat(400), '0.' + '0'.repeat(300) + '1', '1.5e3', '.5', '5.', '+5',
  '2024-02-30', '2024-13', '2024-00-10', '0000', '-2024', '99999', '2024-01-01T24:00:00Z', '2024-01-01T10:00:00+99:00', '2024-01-01T10:00:00.1234567890Z', '2024-01-01T10',
  'Patient/', '/1', 'Patient//1', 'Patient/1/_history/', 'http://', 'urn:uuid:', '#x', 'Spaceship/1',
  'a'.repeat(5000), '\u0000', '\uFFFF', '\uD800', 'Zoë', 'e\u0301', '𝔘𝔫𝔦', '🙂'
]

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', 'Z', '0', '.', ':', '|', ',', '$', '\\', '-', '_', '/'), maxLength: 16 }) }
)

const allCodes = (vocabulary: Vocabulary): string[] => [...new Set([...vocabulary.params.values()].flat().map(p => p.name))]

function names (vocabulary: Vocabulary): fc.Arbitrary<string> {
  const codes = allCodes(vocabulary)
  const code = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...codes) }, { weight: 1, arbitrary: text })
  const type = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...vocabulary.types) }, { weight: 1, arbitrary: text })
  return fc.oneof(
    { weight: 4, arbitrary: code },
    { weight: 3, arbitrary: fc.tuple(code, fc.oneof(fc.constantFrom(...MODIFIERS), text)).map(([c, m]) => `${c}:${m}`) },
    { weight: 2, arbitrary: fc.array(fc.oneof(code, fc.tuple(code, type).map(([c, t]) => `${c}:${t}`)), { minLength: 2, maxLength: 7 }).map(parts => parts.join('.')) },
    { weight: 2, arbitrary: fc.tuple(type, code, fc.oneof(code, names0(code))).map(([t, c, rest]) => `_has:${t}:${c}:${rest}`) },
    { weight: 1, arbitrary: fc.array(fc.oneof(fc.constant('_has'), type, code), { maxLength: 6 }).map(parts => parts.join(':')) },
    { weight: 2, arbitrary: fc.constantFrom(...RESULT_PARAMS) },
    { weight: 1, arbitrary: text }
  )
}

/** An inner parameter for _has: itself possibly chained or modified. */
function names0 (code: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(code, fc.constantFrom(...MODIFIERS)).map(([c, m]) => `${c}:${m}`)
}

function values (vocabulary: Vocabulary): fc.Arbitrary<string> {
  const codes = allCodes(vocabulary)
  const sortKey = fc.tuple(fc.constantFrom('', '-', '--', '+'), fc.oneof(fc.constantFrom(...codes), text)).map(([sign, c]) => `${sign}${c}`)
  const one = fc.oneof(
    { weight: 3, arbitrary: text },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...PREFIXES), fc.oneof(text, fc.double().map(String), fc.bigInt().map(String), fc.date({ noInvalidDate: true }).map(d => d.toISOString()))).map(([p, v]) => `${p}${v}`) },
    { weight: 1, arbitrary: fc.tuple(text, text, text).map(([a, b, c]) => `${a}|${b}|${c}`) },
    { weight: 1, arbitrary: fc.tuple(text, text).map(([a, b]) => `${a}$${b}`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...vocabulary.types), text).map(([t, id]) => `${t}/${id}`) },
    { weight: 1, arbitrary: fc.array(sortKey, { minLength: 1, maxLength: 4 }).map(keys => keys.join(',')) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...vocabulary.types), fc.oneof(fc.constantFrom(...codes, '*'), text), fc.oneof(fc.constant(''), text)).map(([t, c, target]) => `${t}:${c}${target === '' ? '' : `:${target}`}`) },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.bigInt()).map(String) },
    { weight: 1, arbitrary: fc.base64String({ maxLength: 40 }) }
  )
  return fc.array(one, { minLength: 1, maxLength: 3 }).map(list => list.join(','))
}

const DATES = ['2024', '2024-03', '2024-03-05', '2024-03-05T10:00:00Z', '2024-03-05T10:00+01:00', '1980-02-29', '2024-03-05T10:00:00.123-05:00', '0001', '0099-12-31', '9999-12-31T23:59:59-14:00']

/** A value that fits the parameter's type, so the query gets past parsing into SQL, with a twist now and then. */
function typedValue (type: string, vocabulary: Vocabulary): fc.Arbitrary<string> {
  const number = fc.oneof(fc.integer().map(String), fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), fc.constantFrom('0', '5.4', '1e2', '-0.0001', '9'.repeat(40), '1e308'))
  const id = fc.oneof(fc.uuid(), fc.constantFrom('1', 'a.b-c', 'x'.repeat(64)))
  const base = ((): fc.Arbitrary<string> => {
    switch (type) {
      case 'date': return fc.tuple(fc.constantFrom(...PREFIXES), fc.oneof(fc.constantFrom(...DATES), fc.date({ noInvalidDate: true, min: new Date('0001-01-01'), max: new Date('9999-12-31') }).map(d => d.toISOString()))).map(([p, d]) => `${p}${d}`)
      case 'number': return fc.tuple(fc.constantFrom(...PREFIXES), number).map(([p, n]) => `${p}${n}`)
      case 'quantity': return fc.tuple(fc.constantFrom(...PREFIXES), number, fc.constantFrom('', '|http://unitsofmeasure.org|kg', '||kg', '||', '|x|')).map(([p, n, u]) => `${p}${n}${u}`)
      case 'token': return fc.oneof(text, fc.tuple(fc.constantFrom('', 'http://loinc.org', 'urn:oid:1.2', 'x'), fc.constantFrom('', '29463-7', 'female', 'true', 'x')).map(([sys, c]) => `${sys}|${c}`))
      case 'reference': return fc.oneof(id, fc.tuple(fc.constantFrom(...vocabulary.types), id).map(([t, i]) => `${t}/${i}`), fc.constantFrom('https://other.example/fhir/Patient/1', 'http://localhost:8080/fhir/Patient/1'))
      case 'uri': return fc.oneof(fc.webUrl(), text)
      case 'composite': return fc.tuple(fc.constantFrom('http://loinc.org|29463-7', '|x', 'x'), fc.constantFrom(...PREFIXES), number).map(([c, p, n]) => `${c}$${p}${n}`)
      default: return text
    }
  })()
  return fc.array(fc.oneof({ weight: 6, arbitrary: base }, { weight: 1, arbitrary: text }), { minLength: 1, maxLength: 3 }).map(list => list.join(','))
}

/** A real parameter of the searched type with a fitting value, maybe modified or chained. */
function typedPair (vocabulary: Vocabulary, searched: readonly string[]): fc.Arbitrary<Pair> {
  const ownParams = searched.flatMap(type => vocabulary.params.get(type) ?? [])
  const paramOf = (types: readonly string[]): fc.Arbitrary<ParamInfo> => fc.constantFrom(...types.flatMap(type => vocabulary.params.get(type) ?? []))
  const plain = fc.constantFrom(...ownParams).chain(p => fc.tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(...MODIFIERS.map(m => `:${m}`)) }),
    typedValue(p.type, vocabulary)
  ).map(([modifier, value]) => ({ name: `${p.name}${modifier}`, value: modifier === ':missing' ? 'true' : value })))
  const refs = ownParams.filter(p => p.type === 'reference')
  const chained = refs.length === 0 ? plain : fc.tuple(fc.constantFrom(...refs), fc.constantFrom(...vocabulary.types)).chain(([ref, target]) =>
    paramOf([target]).chain(inner => typedValue(inner.type, vocabulary).map(value => ({ name: `${ref.name}:${target}.${inner.name}`, value }))))
  const has = fc.constantFrom(...vocabulary.types).chain(source => {
    const sourceRefs = (vocabulary.params.get(source) ?? []).filter(p => p.type === 'reference')
    if (sourceRefs.length === 0) return plain
    return fc.tuple(fc.constantFrom(...sourceRefs), paramOf([source])).chain(([ref, inner]) =>
      typedValue(inner.type, vocabulary).map(value => ({ name: `_has:${source}:${ref.name}:${inner.name}`, value })))
  })
  const result = fc.oneof(
    fc.constantFrom(...ownParams.map(p => p.name), '_id', '_lastUpdated', 'nope').chain(c => fc.constantFrom(c, `-${c}`, `${c},-_id`)).map(value => ({ name: '_sort', value })),
    fc.constantFrom(...searched).chain(t => fc.constantFrom(...(vocabulary.params.get(t) ?? []).filter(p => p.type === 'reference').map(p => `${t}:${p.name}`), `${t}:*`, '*')).map(value => ({ name: '_include', value })),
    fc.tuple(fc.constantFrom('_summary', '_total', '_elements'), fc.constantFrom('count', 'true', 'accurate', 'estimate', 'none', 'data', 'text', 'id,name', 'x')).map(([name, value]) => ({ name, value }))
  )
  // Long OR lists, past PostgreSQL's 65535 bind parameters. Items are short and ASCII, so the
  // body stays well under the 5 MB limit (a 413 names no parameter, rightly).
  const long = fc.tuple(fc.constantFrom(...ownParams), fc.constantFrom(499, 501, 5000, 70_000))
    .chain(([p, n]) => typedValue(p.type, vocabulary).map(value => {
      const item = (value.split(',')[0] ?? '').slice(0, 12)
      return { name: p.name, value: Array<string>(n).fill(/^[\x21-\x7e]+$/.test(item) && !item.includes('\\') ? item : 'x').join(',') }
    }))
  return fc.oneof({ weight: 10, arbitrary: plain }, { weight: 4, arbitrary: chained }, { weight: 2, arbitrary: has }, { weight: 4, arbitrary: result }, { weight: 1, arbitrary: long })
}

/** UTF-8 %-encoding that survives lone surrogates (encoded as U+FFFD, as a client library would). */
export function percentEncode (value: string): string {
  return encodeURIComponent(value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'))
}

const BROKEN_ENCODING = fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%FF%FE', '%C0%AF', '%ED%A0%80', '&&', '=', '==x', '%2', '+', ';', '%25', '%26', '%3D', '%u0041')

/** A query string: well-encoded pairs, raw garbage between them, or both. */
function rawQuery (pairs: fc.Arbitrary<Pair[]>): fc.Arbitrary<string> {
  const piece = (pair: Pair): fc.Arbitrary<string> => fc.oneof(
    { weight: 6, arbitrary: fc.constant(`${percentEncode(pair.name)}=${percentEncode(pair.value)}`) },
    { weight: 1, arbitrary: BROKEN_ENCODING.map(g => `${percentEncode(pair.name)}=${g}${percentEncode(pair.value)}`) },
    { weight: 1, arbitrary: BROKEN_ENCODING.map(g => `${g}${percentEncode(pair.name)}=${percentEncode(pair.value)}`) },
    { weight: 1, arbitrary: fc.constant(percentEncode(pair.name)) }
  )
  return pairs.chain(list => fc.tuple(...list.map(piece))).map(pieces => pieces.join('&'))
}

/** A whole request to one of the four search endpoints. */
export function fuzzRequest (vocabulary: Vocabulary, issued: readonly IssuedCursor[]): fc.Arbitrary<FuzzRequest> {
  const cursors = issued.map(i => i.cursor)
  const count = fc.record({ name: fc.constant('_count'), value: fc.constantFrom('-1', '0', '1', '1000', '1001', '99999999', '1e3', '1.5', '', ' 1', '0x10', '9'.repeat(30)) })
  const cursorPair = fc.record({ name: fc.constant('_cursor'), value: cursor(cursors) })
  // Half the requests are all nearly right, so they reach SQL; the rest mix in anything.
  const pairs = (searched: readonly string[]): fc.Arbitrary<Pair[]> => fc.oneof(
    fc.array(fc.oneof({ weight: 8, arbitrary: typedPair(vocabulary, searched) }, { weight: 1, arbitrary: cursorPair }), { minLength: 1, maxLength: 3 }),
    fc.array(fc.oneof(
      { weight: 5, arbitrary: typedPair(vocabulary, searched) },
      { weight: 4, arbitrary: fc.record({ name: names(vocabulary), value: values(vocabulary) }) },
      { weight: 1, arbitrary: count },
      { weight: 1, arbitrary: cursorPair }
    ), { minLength: 1, maxLength: 4 })
  )
  const typed = (path: string, type: string, method: 'GET' | 'POST'): fc.Arbitrary<FuzzRequest> => rawQuery(pairs([type])).map(raw => ({ method, path, raw }))
  const system = fc.uniqueArray(fc.constantFrom(...vocabulary.types), { minLength: 1, maxLength: 3 }).chain(types => fc.tuple(
    fc.oneof({ weight: 3, arbitrary: fc.constant(types.join(',')) }, { weight: 1, arbitrary: text }),
    rawQuery(pairs(types))
  )).map(([types, raw]) => ({ method: 'GET' as const, path: '/fhir', raw: `_type=${percentEncode(types)}&${raw}` }))
  // The search a cursor was issued for, replayed with the cursor tampered: it reaches the SQL.
  const replays = issued.length === 0 ? [] : [{ weight: 1, arbitrary: fc.constantFrom(...issued).chain(i => cursor([i.cursor]).map(c => ({ method: 'GET' as const, path: i.path, raw: `${i.query}&_cursor=${percentEncode(c)}` }))) }]
  return fc.oneof(
    { weight: 3, arbitrary: typed('/fhir/Patient', 'Patient', 'GET') },
    { weight: 3, arbitrary: typed('/fhir/Observation', 'Observation', 'GET') },
    { weight: 3, arbitrary: typed('/fhir/Task/_search', 'Task', 'POST') },
    { weight: 3, arbitrary: system },
    ...replays
  )
}

/**
 * _cursor values: garbage, base64 of JSON of the wrong shape, and real cursors the server issued
 * with their positions tampered with (the fingerprint still matches, so they reach the SQL).
 */
function cursor (issued: readonly string[]): fc.Arbitrary<string> {
  const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  const shapes = fc.oneof(text, fc.base64String(), fc.jsonValue().map(b64), fc.tuple(fc.constantFrom('n', 'p', 'x'), fc.array(fc.oneof(fc.string(), fc.constant(null))), fc.string(), fc.string()).map(b64))
  if (issued.length === 0) return shapes
  const keys = fc.oneof(fc.constant(undefined), fc.array(fc.oneof(fc.constant(null), text), { maxLength: 3 }))
  const tampered = fc.tuple(fc.constantFrom(...issued), keys, fc.oneof(fc.constant(undefined), text))
    .map(([real, forgedKeys, forgedId]) => {
      const [direction, realKeys, realId, print] = JSON.parse(Buffer.from(real, 'base64url').toString('utf8')) as unknown[]
      return b64([direction, forgedKeys ?? realKeys, forgedId ?? realId, print])
    })
  return fc.oneof(shapes, fc.constantFrom(...issued), tampered)
}
