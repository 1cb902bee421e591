/**
 * Starts the CLI from its bundle, `dist/cli/main.cjs`, with V8's code cache of it, `dist/cli/main.cjs.cache`: both
 * made by `npm run build` (src/dev/bundles.ts), the cache by running migrations of the example repository, so it
 * holds the compiled code of what a migration runs. Compiling that code was most of a one-app migration's start-up,
 * and Node 20 keeps no compiled code between runs of its own.
 *
 * The cache is only an optimisation: one of another build is not offered to V8, and one V8 refuses (another Node
 * version) is dropped; the bundle is then compiled as usual and runs the same.
 */
import * as fs from 'node:fs'
import { createRequire } from 'node:module'
import * as path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as vm from 'node:vm'

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** The CLI bundle (CommonJS, so that it can be compiled with a cache). */
export const BUNDLE = path.join(DIST, 'cli/main.cjs')
/** Its code cache: the bundle's build id (64 hex digits), then V8's data. */
export const CACHE = `${BUNDLE}.cache`
/** The first line of a bundle: the SHA-256 of the rest, so a cache is only ever offered to the bundle it was made from. */
export const BUILD_LINE = /^\/\/ bitty2chongus build ([0-9a-f]{64})\n/

/** Where `loadModule` of the bundle resolves paths relative to its source folder: the library's `dist/src/`. */
const SRC = pathToFileURL(path.join(DIST, 'src') + path.sep).href

/** `loadModule` for the bundle (see src/load-module.ts). */
function hostImport(specifier: string): Promise<unknown> {
  return import(specifier.startsWith('.') ? new URL(specifier.replace(/\.ts$/, '.js'), SRC).href : specifier)
}

export interface CliBundle {
  run(argv: readonly string[]): Promise<0 | 1 | 2>
  /** What became of the code cache: used, refused by V8, or none offered (absent, or of another build). */
  cache: 'accepted' | 'rejected' | 'none'
  /** The compiled bundle: `createCachedData()` makes a cache of what has run so far. */
  script: vm.Script
  /** The bundle's build id. */
  id: string | undefined
}

/** Compiles and runs the bundle's module code; `useCache: false` ignores the cache (the build making a new one). */
export function loadCli(options: { useCache?: boolean } = {}): CliBundle {
  const source = fs.readFileSync(BUNDLE, 'utf8')
  const id = BUILD_LINE.exec(source)?.[1]
  let cachedData: Buffer | undefined
  if (options.useCache !== false && id !== undefined) {
    try {
      const data = fs.readFileSync(CACHE)
      if (data.subarray(0, 64).toString('latin1') === id) cachedData = data.subarray(64)
    } catch {
      // No cache: compiled as usual.
    }
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname, __b2cImport, __b2cUrl) {${source}\n})`
  const script = new vm.Script(wrapped, { filename: BUNDLE, cachedData })
  const module = { exports: {} as { run?: CliBundle['run'] } }
  const fn = script.runInThisContext() as (...args: unknown[]) => void
  fn.call(module.exports, module.exports, createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE), hostImport, pathToFileURL(BUNDLE).href)
  const run = module.exports.run
  if (typeof run !== 'function') throw new Error(`${BUNDLE} exports no run(): run npm run build`)
  return { run, cache: cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted', script, id }
}
