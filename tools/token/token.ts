/**
 * `npm run -s token`: prints an access token of the local demo admin client (its key is in
 * DATA_DIR/auth/demo-client.json, made by the gateway's first start on the embedded store), so
 *   TOKEN=$(npm run -s token)
 *   curl -H "Authorization: Bearer $TOKEN" http://localhost:8080/fhir/Patient
 * Another client: --client-id ID --key-file PRIVATE_JWK.json. --scope narrows the grant;
 * --token-url names the endpoint (default: BASE_URL or http://localhost:PORT, then /auth/token).
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import type { JWK } from 'jose'
import { readDemoClient } from '../../src/auth/demo-client.js'
import { requestToken, signClientAssertion } from './sign-assertion.js'

const { values } = parseArgs({
  options: {
    'client-id': { type: 'string' },
    'key-file': { type: 'string' },
    scope: { type: 'string' },
    'token-url': { type: 'string' }
  }
})

async function clientKey (): Promise<{ clientId: string, privateJwk: JWK }> {
  const keyFile = values['key-file']
  if (keyFile !== undefined) {
    const clientId = values['client-id']
    if (clientId === undefined) throw new Error('--key-file needs --client-id')
    return { clientId, privateJwk: JSON.parse(await readFile(keyFile, 'utf8')) as JWK }
  }
  const dataDir = process.env.DATA_DIR ?? './data'
  try {
    return await readDemoClient(dataDir)
  } catch {
    throw new Error(`No demo client in ${dataDir}/auth: start the gateway once on the embedded store (npm start), or pass --client-id and --key-file`)
  }
}

try {
  const base = (process.env.BASE_URL ?? `http://localhost:${process.env.PORT ?? '8080'}`).replace(/\/+$/, '')
  const tokenUrl = values['token-url'] ?? `${base}/auth/token`
  const { clientId, privateJwk } = await clientKey()
  const answer = await requestToken(tokenUrl, await signClientAssertion(clientId, privateJwk, tokenUrl), values.scope)
  if (answer.access_token === undefined) throw new Error(`${tokenUrl} refused: ${answer.error ?? '?'} ${answer.error_description ?? ''}`)
  process.stdout.write(`${answer.access_token}\n`)
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`)
  process.exitCode = 1
}
