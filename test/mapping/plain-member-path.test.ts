/**
 * A map source that is one plain name runs as a plain-member path (src/mapping/plain-member-path.ts),
 * which must give exactly the interpreter's values: types, values and paths. Compared on every
 * object of every JSON fixture input and every mapped FHIR resource, for each name the object
 * has, the base name of each typed variant (`value` for `valueString`) and a name it lacks.
 */
import { test } from 'tap'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { evalFhirPathTyped, FhirPathAtom, parseFhirPath, toTypedValue, type TypedValue } from '@medplum/core'
import { loadBaseDefinitions } from '../../src/fhir/validation/base-definitions.js'
import { sourcePath } from '../../src/mapping/plain-member-path.js'

loadBaseDefinitions()

type Typed = TypedValue & { path?: string }

function bothWays (name: string, input: Typed[]): { fast: unknown, interpreted: unknown } {
  const parsed = parseFhirPath(name)
  return {
    fast: evalFhirPathTyped(sourcePath(parsed) as typeof parsed, input),
    interpreted: evalFhirPathTyped(parsed, input)
  }
}

/** Every object in a JSON document, typed as the engine types what it reaches, with the interpreter's path. */
function typedObjects (value: unknown, path: string | undefined, found: Typed[] = []): Typed[] {
  if (Array.isArray(value)) value.forEach((item, i) => typedObjects(item, `${path ?? ''}[${i}]`, found))
  else if (value !== null && typeof value === 'object') {
    found.push(path === undefined ? toTypedValue(value) : { ...toTypedValue(value), path })
    for (const [key, item] of Object.entries(value)) typedObjects(item, path === undefined ? key : `${path}.${key}`, found)
  }
  return found
}

function namesToTry (object: object): string[] {
  const names = new Set(['absent', 'constructor'])
  for (const key of Object.keys(object)) {
    if (/^[a-z][A-Za-z0-9]*$/.test(key)) names.add(key)
    const base = /^([a-z][a-z0-9]*)[A-Z]/.exec(key)?.[1]
    if (base !== undefined) names.add(base)
  }
  return [...names]
}

test('plain names give the interpreter’s values on every fixture input and mapped resource', async (t) => {
  const files = (await readdir('mappings', { recursive: true })).filter(f => /fixtures\/.*\.(input|expected)\.json$/.test(f)).sort()
  t.ok(files.length > 40, `${files.length} fixture files`)
  const differences: string[] = []
  let compared = 0
  let nonEmpty = 0
  for (const file of files) {
    const document = JSON.parse(await readFile(join('mappings', file), 'utf8')) as unknown
    for (const typed of typedObjects(document, undefined)) {
      for (const name of namesToTry(typed.value as object)) {
        const { fast, interpreted } = bothWays(name, [typed])
        compared++
        if ((interpreted as unknown[]).length > 0) nonEmpty++
        if (JSON.stringify(fast) !== JSON.stringify(interpreted)) differences.push(`${file} ${typed.path ?? '(root)'}.${name}: ${JSON.stringify(fast)} against ${JSON.stringify(interpreted)}`)
      }
    }
  }
  t.same(differences.slice(0, 10), [], 'no differences')
  t.ok(compared > 5_000 && nonEmpty > 2_500, `${compared} evaluations compared, ${nonEmpty} of them with values`)
})

test('lists, nulls, typed variants, typed values and resources', async (t) => {
  const cases: Array<[string, Typed[]]> = [
    ['items', [{ type: 'BackboneElement', value: { items: ['a', null, 'b', '', { code: 'x', system: 's' }] }, path: 'src' }]],
    ['items', [{ type: 'BackboneElement', value: { items: [] } }]],
    ['note', [{ type: 'BackboneElement', value: { note: null } }]],
    ['value', [{ type: 'BackboneElement', value: { valueQuantity: { value: 1 }, valueString: 'x' } }]],
    ['value', [{ type: 'BackboneElement', value: { valueInteger: [1, 2] } }, { type: 'BackboneElement', value: { valueBoolean: false } }]],
    ['code', [{ type: 'Coding', value: { system: 's', code: 'c', _code: { extension: [{ url: 'u', valueString: 'x' }] } } }]],
    ['status', [{ type: 'Task', value: { resourceType: 'Task', status: 'ready', _status: { id: 'e' } }, path: 'Task' }]],
    ['subject', [{ type: 'ServiceRequest', value: { resourceType: 'ServiceRequest', subject: { reference: 'Patient/1' } } }]],
    ['person', [{ type: 'string', value: 'text' }, { type: 'BackboneElement', value: { person: { nhsNumber: '9434765919' } }, path: 'a.b[2]' }]]
  ]
  for (const [name, input] of cases) {
    const { fast, interpreted } = bothWays(name, input)
    t.same(fast, interpreted, `${name} on ${JSON.stringify(input.map(i => i.value)).slice(0, 80)}`)
  }
})

test('only one plain element name gets the plain-member path', async (t) => {
  for (const expression of ['nhsNumber', 'value']) t.notOk(sourcePath(parseFhirPath(expression)) instanceof FhirPathAtom, `${expression} gets it`)
  for (const expression of ['person.nhsNumber', '%src', '$this', 'Patient', 'code.where(system = \'s\')', 'name[0]']) {
    t.ok(sourcePath(parseFhirPath(expression)) instanceof FhirPathAtom, `${expression} keeps the interpreter's path`)
  }
})
