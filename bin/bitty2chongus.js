#!/usr/bin/env node
// The CLI runs from one CommonJS bundle with a code cache of it (dist/cli, made by `npm run build`; see
// src/cli-host.ts): loading and compiling some 300 modules one by one was most of a one-app migration's start-up.
import { loadCli } from '../dist/src/cli-host.js'
process.exitCode = await loadCli().run(process.argv.slice(2))
