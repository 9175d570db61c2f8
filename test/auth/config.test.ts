/** Authentication settings: refused combinations stop start-up with a message naming them. */
import { test } from 'tap'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ConfigError, loadConfig } from '../../src/config.js'
import { readClientsFile } from '../../src/auth/clients.js'
import { temporaryDirectory } from '../helper.js'

test('AUTH_DISABLED is refused in production; production needs a signing key', async (t) => {
  t.throws(() => loadConfig({ NODE_ENV: 'production', AUTH_DISABLED: 'true', AUTH_SIGNING_KEY_FILE: '/k.json' }), { name: 'ConfigError', message: /AUTH_DISABLED/ })
  t.throws(() => loadConfig({ NODE_ENV: 'production' }), { name: 'ConfigError', message: /AUTH_SIGNING_KEY_FILE/ })
  const config = loadConfig({ NODE_ENV: 'production', AUTH_SIGNING_KEY_FILE: '/k.json', BASE_URL: 'https://gw.example.nhs.uk' })
  t.equal(config.production, true)
  t.equal(config.auth.disabled, false)
  t.equal(config.auth.baseUrl, 'https://gw.example.nhs.uk')
  t.equal(config.auth.tokenLifetimeSeconds, 300)
  t.equal(loadConfig({ AUTH_DISABLED: 'true' }).auth.disabled, true)
  t.throws(() => loadConfig({ AUTH_DISABLED: 'maybe' }), { message: /AUTH_DISABLED/ })
  t.throws(() => loadConfig({ AUTH_TOKEN_LIFETIME: '86400' }), { message: /AUTH_TOKEN_LIFETIME/ })
})

test('a bad clients file is a ConfigError naming the problem', async (t) => {
  const dir = await temporaryDirectory(t, 'clients-')
  const write = async (name: string, body: unknown): Promise<string> => {
    const path = join(dir, name)
    await writeFile(path, typeof body === 'string' ? body : JSON.stringify(body))
    return path
  }
  const key = { kty: 'EC', crv: 'P-384', kid: 'k1', x: 'x', y: 'y' }
  await t.rejects(readClientsFile(await write('a.json', '{not json')), ConfigError)
  await t.rejects(readClientsFile(await write('b.json', { clients: [{ clientId: 'gp', role: 'gp-system', scopes: ['system/Task.r'], jwks: { keys: [key] } }] })),
    { message: /odsCode/ }, 'every role but admin names its organisation')
  await t.rejects(readClientsFile(await write('c.json', { clients: [{ clientId: 'gp', role: 'root', odsCode: 'A1234', scopes: ['system/Task.r'], jwks: { keys: [key] } }] })),
    { message: /role/ })
  await t.rejects(readClientsFile(await write('d.json', { clients: [{ clientId: 'gp', role: 'admin', scopes: ['user/*.*'], jwks: { keys: [key] } }] })),
    { message: /unsupported scopes user\/\*\.\*/ })
  await t.rejects(readClientsFile(await write('e.json', { clients: [{ clientId: 'gp', role: 'admin', scopes: ['system/*.r'], jwks: { keys: [{ ...key, d: 'secret' }] } }] })),
    ConfigError, 'a private key is refused')
  await t.rejects(readClientsFile(await write('f.json', { clients: [{ clientId: 'gp', role: 'admin', scopes: ['system/*.r'] }] })),
    ConfigError, 'keys are required')
  await t.rejects(readClientsFile(await write('g.json', { clients: [{ clientId: 'gp', role: 'admin', scopes: ['system/*.r'], jwksUri: 'http://keys.example/jwks' }] })),
    ConfigError, 'a jwks_uri is https (or local)')
  const good = await readClientsFile(await write('h.json', { clients: [{ clientId: 'gp', role: 'gp-system', odsCode: 'A12345', scopes: ['system/ServiceRequest.cru', 'system/Patient.read'], jwksUri: 'https://keys.example/jwks' }] }))
  t.equal(good.length, 1)
})
