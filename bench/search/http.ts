/**
 * A timed GET over one keep-alive agent, as a CRM or dashboard polling the gateway would hold
 * its connections open. Latency is client-side: from sending the request to the last body byte.
 */
import http from 'node:http'

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
const REQUEST_TIMEOUT_MS = 60_000

export interface Timed {
  readonly status: number
  readonly ms: number
  readonly body: string
}

export async function timedGet (url: string): Promise<Timed> {
  const started = performance.now()
  return await new Promise<Timed>((resolve, reject) => {
    const req = http.get(url, { agent, headers: { accept: 'application/fhir+json' }, timeout: REQUEST_TIMEOUT_MS }, res => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(chunks).toString('utf8') }) })
      res.on('error', reject)
    })
    req.on('timeout', () => { req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s: ${url}`)) })
    req.on('error', reject)
  })
}

/** A GET that must answer 200, parsed. */
export async function getJson<T> (url: string): Promise<{ ms: number, json: T }> {
  const res = await timedGet(url)
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${res.body.slice(0, 500)}`)
  return { ms: res.ms, json: JSON.parse(res.body) as T }
}

export function closeAgent (): void {
  agent.destroy()
}
