/**
 * The slice of autocannon's API the bench uses. Declared here rather than adding @types/autocannon,
 * so the bench brings no dependency beyond autocannon itself.
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  export interface RequestParams {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
  }

  export interface Request extends RequestParams {
    /** Called before every request; returns the request to send. */
    setupRequest?: (request: RequestParams, context: Record<string, unknown>) => RequestParams
  }

  export interface Options {
    url: string
    connections?: number
    duration?: number
    timeout?: number
    method?: string
    headers?: Record<string, string>
    body?: string
    requests?: Request[]
  }

  export interface Result {
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    statusCodeStats: Record<string, { count: number }>
  }

  export interface Instance extends EventEmitter {
    stop(): void
    on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): this
    on(event: 'reqError', listener: (error: Error) => void): this
    on(event: string, listener: (...args: unknown[]) => void): this
  }

  function autocannon (options: Options, callback: (err: Error | null, result: Result) => void): Instance

  export default autocannon
}
