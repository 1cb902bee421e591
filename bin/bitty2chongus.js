#!/usr/bin/env node
// The CLI runs from one bundle of the project's own modules (dist/cli, made by `npm run build`): loading ~180
// small modules one by one was a third of a one-app migration's start-up. Packages stay separate modules.
import { run } from '../dist/cli/main.js'
process.exitCode = await run(process.argv.slice(2))
