/**
 * pino options. Request logs carry the route pattern and resource type, never the raw URL
 * (a query or a client-chosen id may hold an NHS number), and never bodies or headers that
 * identify a person. Errors are logged by the FHIR error handler without their details.
 */
import type { LoggerOptions } from 'pino'

interface LoggedRequest {
  method?: string
  id?: string
  routeOptions?: { url?: string }
  params?: unknown
}

export function loggerOptions (level: string): LoggerOptions {
  return {
    level,
    redact: { paths: ['req.headers', 'headers', 'body', '*.body', 'resource'], remove: true },
    serializers: {
      req (request: LoggedRequest) {
        const type = (request.params as { type?: unknown } | undefined)?.type
        return {
          method: request.method,
          route: request.routeOptions?.url ?? 'unmatched',
          ...(typeof type === 'string' && /^[A-Z][A-Za-z]{1,40}$/.test(type) ? { resourceType: type } : {})
        }
      },
      res (reply: { statusCode?: number }) {
        return { statusCode: reply.statusCode }
      },
      err (err: Error & { code?: unknown }) {
        // Only the kind and where it came from: messages of database or library errors can quote values.
        return { type: err.name, ...(typeof err.code === 'string' ? { code: err.code } : {}), stack: stackFrames(err.stack) }
      }
    }
  }
}

function stackFrames (stack: string | undefined): string | undefined {
  return stack?.split('\n').filter(line => line.trimStart().startsWith('at ')).join('\n')
}
