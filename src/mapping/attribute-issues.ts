/**
 * A mapped Bundle that fails validation is the mapping's fault, not the sender's: each issue
 * (expression `Bundle.entry[i].resource.<path>`) is told which map rule produced the element,
 * and the whole answer is a 422 (a 400 from the transaction means the map made a bad request).
 */
import type { Bundle, OperationOutcomeIssue } from '@medplum/fhirtypes'
import { GatewayError } from '../errors.js'
import type { LoadedMapping } from './registry.js'
import { describeRule } from './rule-index.js'

const ENTRY_PATH = /^Bundle\.entry\[(\d+)\](?:\.resource\.?(.*))?$/

export function attributeToRules (err: unknown, mapping: LoadedMapping, bundle: Bundle): unknown {
  if (!(err instanceof GatewayError) || (err.category !== 'unprocessable' && err.category !== 'invalid')) return err
  const issues = (err.issues ?? [{ severity: 'error', code: 'processing', details: { text: err.message } }]).map(issue => attribute(issue, mapping, bundle))
  return new GatewayError('unprocessable', `Mapping ${mapping.name} made a Bundle that failed validation`, { issues, cause: err })
}

function attribute (issue: OperationOutcomeIssue, mapping: LoadedMapping, bundle: Bundle): OperationOutcomeIssue {
  const expression = issue.expression?.[0]
  const match = expression === undefined ? null : ENTRY_PATH.exec(expression)
  const resourceType = match === null ? undefined : bundle.entry?.[Number(match[1])]?.resource?.resourceType
  if (match === null || resourceType === undefined) return issue
  const rule = mapping.rules.producerOf(resourceType, match[2] ?? '')
  if (rule === undefined) return issue
  const blame = `produced by ${describeRule(rule)} of mapping ${mapping.name} ${mapping.version}`
  return { ...issue, diagnostics: issue.diagnostics === undefined ? blame : `${issue.diagnostics}; ${blame}` }
}
