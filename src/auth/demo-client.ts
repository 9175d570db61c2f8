/**
 * The demo admin client of a local gateway (embedded store, not production, no clients file): its
 * key pair is generated once and kept in DATA_DIR, so `npm run token` can sign assertions for it.
 * It exists so a developer can try the API in a minute without the gateway ever being open.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose'
import type { ClientRegistration } from './clients.js'

export const DEMO_CLIENT_ID = 'demo-admin'
const DEMO_ALG = 'ES384'

export interface DemoClientFile {
  readonly clientId: string
  /** The private key (with kid and alg) the token script signs assertions with. */
  readonly privateJwk: JWK
}

export function demoClientPath (dataDir: string): string {
  return join(dataDir, 'auth', 'demo-client.json')
}

export async function readDemoClient (dataDir: string): Promise<DemoClientFile> {
  return JSON.parse(await readFile(demoClientPath(dataDir), 'utf8')) as DemoClientFile
}

/** The demo client's registration, creating its key pair on first use. */
export async function ensureDemoClient (dataDir: string): Promise<ClientRegistration> {
  let file: DemoClientFile
  try {
    file = await readDemoClient(dataDir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    const { privateKey } = await generateKeyPair(DEMO_ALG, { extractable: true })
    const jwk = await exportJWK(privateKey)
    const { d: _d, ...publicPart } = jwk
    file = { clientId: DEMO_CLIENT_ID, privateJwk: { ...jwk, alg: DEMO_ALG, kid: await calculateJwkThumbprint(publicPart) } }
    await mkdir(dirname(demoClientPath(dataDir)), { recursive: true, mode: 0o700 })
    await writeFile(demoClientPath(dataDir), JSON.stringify(file, null, 2), { mode: 0o600 })
  }
  const { d: _d, ...publicJwk } = file.privateJwk
  return {
    clientId: file.clientId,
    role: 'admin',
    scopes: ['system/*.cruds'],
    identifiable: true,
    jwks: { keys: [{ ...publicJwk, use: 'sig' }] }
  }
}
