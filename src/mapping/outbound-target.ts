/**
 * What an outbound mapping (FHIR -> payload) needs beyond the inbound path: a typed target, so
 * repeated payload fields become arrays (logical-model.ts), and a check of the output against the
 * payload schema, since for outbound mappings the schema describes what the gateway sends.
 */
import type { TypedValue } from '@medplum/core'
import { GatewayError } from '../errors.js'
import { payloadIssue, type PayloadProblem } from './mapping-error.js'
import { registerLogicalModel, type JsonSchema } from './logical-model.js'

/** The logical model's name for a mapping: `crm-referral` -> `CrmReferralPayload`. */
export function payloadModelName (mappingName: string): string {
  return mappingName.split('-').map(part => part.charAt(0).toUpperCase() + part.slice(1)).join('') + 'Payload'
}

/** Registers the schema of an outbound JSON mapping's output; returns the target's type. */
export function registerOutboundTarget (mappingName: string, schema: unknown): string {
  return registerLogicalModel(payloadModelName(mappingName), `https://fhir.socialprescribing.example/mappings/${mappingName}/schema.json`, schema as JsonSchema)
}

/** The engine's target argument: typed when the mapping has a payload schema, else none. */
export function outboundTargets (targetType: string | undefined): TypedValue[] {
  return targetType === undefined ? [] : [{ type: targetType, value: {} }]
}

/** An output that breaks its own schema is a 422: the stored data cannot make this payload. */
export function outputError (mappingName: string, problems: readonly PayloadProblem[]): GatewayError {
  return new GatewayError('unprocessable', `The output of mapping ${mappingName} does not fit its schema`, { issues: problems.map(payloadIssue) })
}
