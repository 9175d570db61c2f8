/**
 * StructureMap/$transform (http://hl7.org/fhir/OperationDefinition/StructureMap-transform) over
 * the mappings under mappings/: `POST /StructureMap/<id>/$transform`, or
 * `POST /StructureMap/$transform?source=<map url>`. The body is the content itself (any JSON that
 * is not a Parameters resource) or Parameters with `content` (a resource, a valueString holding
 * the payload text, or a valueAttachment) and optionally `source`. A CSV mapping takes its text
 * as a `text/csv` body (or in valueString/valueAttachment) and maps it like POST /inbound would,
 * all rows or none. Nothing is stored.
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { CapabilityStatementRestResourceOperation, Parameters } from '@medplum/fhirtypes'
import { GatewayError } from '../../errors.js'
import type { LoadedMapping, MappingRegistry } from '../../mapping/registry.js'
import { runMapping } from '../../mapping/run-mapping.js'
import { transformText } from '../../mapping/transform-text.js'
import { queryOf } from './history.js'
import { FHIR_JSON } from './reply.js'

export const TRANSFORM_OPERATIONS: Readonly<Record<string, CapabilityStatementRestResourceOperation[]>> = {
  StructureMap: [{ name: 'transform', definition: 'http://hl7.org/fhir/OperationDefinition/StructureMap-transform' }]
}

export function transformRoutes (app: FastifyInstance, registry: MappingRegistry): void {
  // CSV is accepted here only: the rest of the FHIR API stays JSON in (415 otherwise). Inside this
  // route-scoped parser a text/csv body stays the text, exactly as sent.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => { done(null, body) })
  app.post<{ Params: { id: string } }>('/StructureMap/:id/$transform', async (request, reply) => {
    const mapping = registry.get(request.params.id)
    if (mapping === undefined) throw new GatewayError('not-found', `No StructureMap ${request.params.id} can run here`)
    return await send(reply, transform(mapping, request.body))
  })
  app.post('/StructureMap/$transform', async (request, reply) => {
    const source = queryOf(request).get('source') ?? parameter(request.body, 'source')?.valueUri ?? parameter(request.body, 'source')?.valueString
    if (source === undefined) throw new GatewayError('invalid', 'Name the StructureMap with the source parameter (its url)', { expression: 'source' })
    const url = source.split('|')[0]
    const mapping = registry.mappings.find(m => m.structureMap.url === url || `StructureMap/${m.name}` === url)
    if (mapping === undefined) throw new GatewayError('not-found', `No StructureMap with url ${source} can run here`, { expression: 'source' })
    return await send(reply, transform(mapping, request.body))
  })
}

function transform (mapping: LoadedMapping, body: unknown): unknown {
  if (typeof body === 'string') return transformText(mapping, body)
  if (!isParameters(body)) return runJson(mapping, body)
  const content = parameter(body, 'content')
  if (content === undefined) throw new GatewayError('invalid', 'Parameters need a content parameter: the payload to transform', { expression: 'Parameters.parameter' })
  if (content.resource !== undefined) return runJson(mapping, content.resource)
  if (content.valueString !== undefined) return transformText(mapping, content.valueString)
  if (content.valueAttachment?.data !== undefined) return transformText(mapping, Buffer.from(content.valueAttachment.data, 'base64').toString('utf8'))
  throw new GatewayError('invalid', 'content must be a resource, a valueString or a valueAttachment with data', { expression: 'Parameters.parameter' })
}

/** A JSON body: the payload of a JSON mapping; a CSV mapping needs the text. */
function runJson (mapping: LoadedMapping, payload: unknown): unknown {
  if (mapping.format === 'csv') throw new GatewayError('invalid', `Mapping ${mapping.name} reads CSV: send the text as a text/csv body, or in Parameters content.valueString`)
  return runMapping(mapping, payload)
}

async function send (reply: FastifyReply, output: unknown): Promise<FastifyReply> {
  const isResource = output !== null && typeof output === 'object' && 'resourceType' in output
  return await reply.type(isResource ? FHIR_JSON : 'application/json').send(output)
}

function isParameters (body: unknown): body is Parameters {
  return body !== null && typeof body === 'object' && (body as { resourceType?: unknown }).resourceType === 'Parameters'
}

function parameter (body: unknown, name: string): NonNullable<Parameters['parameter']>[number] | undefined {
  return isParameters(body) ? body.parameter?.find(p => p.name === name) : undefined
}
