/**
 * The security headers every answer carries, as helmet decides them (its defaults, with the
 * options given). They depend only on those options, so they are worked out once at start by
 * running helmet's middleware against a response that only records what is set; @fastify/helmet
 * instead rebuilt the middleware and re-parsed the policy on every request (docs/benchmarks.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet, { type HelmetOptions } from 'helmet'

export function securityHeadersOf (options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader (name: string, value: unknown) { headers[name.toLowerCase()] = String(value) },
    removeHeader (name: string) { Reflect.deleteProperty(headers, name.toLowerCase()) }
  }
  let failure: unknown
  // helmet's middleware runs synchronously; a bad option is reported through next(err).
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => { failure = err })
  if (failure !== undefined) throw failure
  return Object.freeze(headers)
}
