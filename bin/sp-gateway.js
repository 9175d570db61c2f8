#!/usr/bin/env node
// The gateway's command line (src/mapping/cli.ts), run through tsx like the npm scripts.
// npx puts node_modules/.bin first on PATH, so `node` here is the pinned Node 22.
import { register } from 'tsx/esm/api'

register()
const { main } = await import(new URL('../src/mapping/cli.ts', import.meta.url).href)
process.exitCode = await main(process.argv.slice(2))
