/**
 * The Provenance every inbound transaction stores with what it made: which mapping (name and
 * version, as the policy it followed and as the assembling agent), who sent the payload, and
 * the payload's SHA-256 (never the payload itself). Its targets are the Bundle's entries, which
 * the transaction rewrites to the stored ids.
 */
import type { Bundle, BundleEntry, Provenance } from '@medplum/fhirtypes'
import { GATEWAY_BASE } from '../terminology/systems.js'
import { GatewayError } from '../errors.js'

export const SENDER_SYSTEM = `${GATEWAY_BASE}/Id/client`
export const MAPPING_SYSTEM = `${GATEWAY_BASE}/Id/mapping`
export const PAYLOAD_HASH_SYSTEM = `${GATEWAY_BASE}/Id/payload-sha256`
const PARTICIPANT_TYPE = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type'

export interface ProvenanceFacts {
  readonly mappingName: string
  readonly mappingVersion: string
  readonly mappingUrl: string
  readonly sender: string
  readonly payloadSha256: string
  readonly recorded: string
}

export function withProvenance (bundle: Bundle, facts: ProvenanceFacts): Bundle {
  const targets = (bundle.entry ?? []).filter(e => e.fullUrl !== undefined && e.request?.method !== 'GET').map(e => ({ reference: e.fullUrl as string }))
  if (targets.length === 0) throw new GatewayError('fault', `Mapping ${facts.mappingName} made no entry with a fullUrl for the Provenance to name`)
  const provenance: Provenance = {
    resourceType: 'Provenance',
    target: targets,
    recorded: facts.recorded,
    policy: [`${facts.mappingUrl}|${facts.mappingVersion}`],
    // A mapping that only patches or updates (a CRM's status event) changes what exists.
    activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: (bundle.entry ?? []).some(e => e.request?.method === 'POST') ? 'CREATE' : 'UPDATE' }] },
    agent: [
      {
        type: { coding: [{ system: PARTICIPANT_TYPE, code: 'author' }] },
        who: { identifier: { system: SENDER_SYSTEM, value: facts.sender } }
      },
      {
        type: { coding: [{ system: PARTICIPANT_TYPE, code: 'assembler' }] },
        // R4 agent.who cannot reference a StructureMap: the mapping is named by identifier (its
        // canonical url and version, as in policy) and served as StructureMap/<name>.
        who: { identifier: { system: MAPPING_SYSTEM, value: `${facts.mappingUrl}|${facts.mappingVersion}` }, display: `${facts.mappingName} ${facts.mappingVersion}` }
      }
    ],
    entity: [{
      role: 'source',
      what: { identifier: { system: PAYLOAD_HASH_SYSTEM, value: facts.payloadSha256 }, display: `${facts.mappingName} payload` }
    }]
  }
  const entry: BundleEntry = { request: { method: 'POST', url: 'Provenance' }, resource: provenance }
  return { ...bundle, entry: [...(bundle.entry ?? []), entry] }
}
