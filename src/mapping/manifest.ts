/**
 * mapping.json: what a mapping folder declares besides its FML, checked with ajv at load.
 * See mappings/README.md for the layout and an example.
 */
import { Ajv } from 'ajv'

export interface StepCallJson {
  readonly step: string
  readonly at?: readonly string[]
  readonly [option: string]: unknown
}

export interface MappingManifest {
  /** The folder name; also the StructureMap id and the `<mapping>` of POST /inbound/<mapping>. */
  readonly name: string
  /** Semantic version of the mapping, recorded in every Provenance it writes. */
  readonly version: string
  readonly title: string
  readonly description?: string
  /** The non-FHIR side's format: JSON documents, or CSV text. */
  readonly format: 'json' | 'csv'
  /** The entry .map file of the folder; other .map files are imports. */
  readonly map: string
  /** JSON Schema (draft 2020-12) of the non-FHIR side; absent when that side is FHIR (outbound). */
  readonly schema?: string
  /** Which side is FHIR: inbound mappings turn payloads into FHIR and may be POSTed to /inbound. */
  readonly direction: 'inbound' | 'outbound'
  /** Largest payload in bytes (a 413 naming the limit); the gateway's BODY_LIMIT applies anyway. */
  readonly maxBytes?: number
  readonly pre?: readonly StepCallJson[]
  readonly post?: readonly StepCallJson[]
}

const stepCall = {
  type: 'object',
  required: ['step'],
  properties: {
    step: { type: 'string', minLength: 1 },
    at: { type: 'array', items: { type: 'string', pattern: '^/' }, minItems: 1 }
  }
} as const

const manifestSchema = {
  type: 'object',
  required: ['name', 'version', 'title', 'format', 'map', 'direction'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$' },
    title: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    format: { enum: ['json', 'csv'] },
    map: { type: 'string', pattern: '\\.map$' },
    schema: { type: 'string', pattern: '\\.json$' },
    direction: { enum: ['inbound', 'outbound'] },
    maxBytes: { type: 'integer', minimum: 1 },
    pre: { type: 'array', items: stepCall },
    post: { type: 'array', items: stepCall }
  }
} as const

const validateManifest = new Ajv({ allErrors: true }).compile(manifestSchema)

/** The manifest, or the list of what is wrong with it. */
export function checkManifest (json: unknown): { manifest: MappingManifest } | { problems: string[] } {
  if (validateManifest(json)) return { manifest: json as unknown as MappingManifest }
  return { problems: (validateManifest.errors ?? []).map(e => `${e.instancePath === '' ? 'mapping.json' : e.instancePath} ${e.message ?? 'is invalid'}${e.params !== undefined && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`) }
}
