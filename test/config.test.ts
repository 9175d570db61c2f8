/** Configuration is validated at start with a message naming each bad variable. */
import { test } from 'tap'
import { ConfigError, loadConfig } from '../src/config.js'

test('defaults: port 8080, embedded store in ./data', async (t) => {
  const config = loadConfig({})
  t.equal(config.port, 8080)
  t.equal(config.fhirBaseUrl, 'http://localhost:8080/fhir')
  t.same(config.store, { kind: 'pglite', dataDir: './data' })
})

test('DATABASE_URL selects PostgreSQL; BASE_URL sets the public base', async (t) => {
  const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/gw', BASE_URL: 'https://gw.example.nhs.uk/' })
  t.equal(config.store.kind, 'postgres')
  t.equal(config.fhirBaseUrl, 'https://gw.example.nhs.uk/fhir')
})

test('bad values are refused with a message naming them', async (t) => {
  t.throws(() => loadConfig({ PORT: 'eighty' }), { name: 'ConfigError', message: /PORT/ })
  t.throws(() => loadConfig({ PORT: '70000' }), ConfigError)
  t.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), { message: /LOG_LEVEL/ })
  t.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), { message: /DATABASE_URL/ })
  t.throws(() => loadConfig({ BODY_LIMIT: '-1', UNKNOWN_PROFILE: 'maybe' }), { message: /BODY_LIMIT.*UNKNOWN_PROFILE|UNKNOWN_PROFILE.*BODY_LIMIT/ })
})
