/**
 * Request ids: an incoming X-Request-Id is honoured when it looks like an id (so a caller's
 * correlation id follows the request through our logs); otherwise a fresh UUID is used.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/

export function requestIdFor (request: IncomingMessage): string {
  const incoming = request.headers['x-request-id']
  return typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID()
}
