/**
 * The JSON Schema (draft 2020-12) of a mapping's non-FHIR side, compiled once with ajv. Every
 * problem comes back at its JSON Pointer: a missing property at the pointer it would have had,
 * an unexpected one at its own.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import { escapeSegment } from './json-pointer.js'
import type { PayloadProblem } from './mapping-error.js'

export type PayloadValidator = (payload: unknown) => PayloadProblem[]

/**
 * Compiled validators by schema text. Compiling is ajv generating code (about 50 ms a schema
 * here); a process that builds the gateway again (every test does) reuses what it compiled. A
 * compiled validator holds nothing of one call after the next, so sharing it is safe.
 */
const compiledBySchemaText = new Map<string, ValidateFunction>()

export function compilePayloadSchema (schema: unknown): PayloadValidator {
  const validate = compiledValidator(schema)
  // An `if` error only says "must match then schema"; the errors of the `then` itself say what.
  return (payload) => validate(payload) ? [] : (validate.errors ?? []).filter(e => e.keyword !== 'if').map(problemOf)
}

function compiledValidator (schema: unknown): ValidateFunction {
  const text = JSON.stringify(schema)
  let validate = compiledBySchemaText.get(text)
  if (validate === undefined) {
    // An instance per schema: ajv keeps every compiled $id, so two schemas sharing an $id would
    // collide in one instance. strictTypes off: payload schemas use plain unions freely;
    // allErrors: report every problem at once.
    const ajv = new Ajv2020({ allErrors: true, strictTypes: false })
    validate = ajv.compile(schema as object)
    compiledBySchemaText.set(text, validate)
  }
  return validate
}

function problemOf (error: ErrorObject): PayloadProblem {
  const params = error.params as Record<string, unknown>
  if (error.keyword === 'required') {
    return { pointer: `${error.instancePath}/${escapeSegment(String(params.missingProperty))}`, message: 'is required' }
  }
  if (error.keyword === 'additionalProperties') {
    return { pointer: `${error.instancePath}/${escapeSegment(String(params.additionalProperty))}`, message: 'is not a field of this payload' }
  }
  if (error.keyword === 'false schema') {
    return { pointer: error.instancePath, message: 'is not allowed here' }
  }
  if (error.keyword === 'enum') {
    return { pointer: error.instancePath, message: `must be one of ${(params.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(', ')}` }
  }
  return { pointer: error.instancePath, message: error.message ?? 'is invalid' }
}
