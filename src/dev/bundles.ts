/**
 * The second half of `npm run build` (after `tsc`): what makes the CLI start fast.
 * - `dist/cli/main.cjs`: the CLI (`dist/src/main.js`) with the project's modules and the packages a migration runs
 *   with (`yaml`, `commander`, `diff`, `jsonpath-plus`, `semver`) in one CommonJS file, so that it can be compiled
 *   from a code cache (src/cli-host.ts). It holds no `import()`: what loads on demand goes through `loadModule`,
 *   which the bundle takes from its host, so `ts-morph`, `@octokit/rest` and the authoring tools stay out of it.
 *   The library entry (`dist/src/`) is not bundled.
 * - `dist/cli/main.cjs.cache`: V8's code cache of the bundle after migrations of the example repository.
 * - `dist/models/`: the schema models of {@link BUNDLED_KINDS}, one file a kind and their shared code in chunks,
 *   with the manifest that tells the checker they are there (see src/check/bundled-models.ts).
 */
import * as esbuild from 'esbuild'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { BUNDLED_KINDS, MANIFEST, bundleName } from '../check/bundled-models.ts'
import { modelSpecifier } from '../check/schema.ts'
import { BUNDLE, CACHE, loadCli } from '../cli-host.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

async function cli(): Promise<void> {
  const out = path.dirname(BUNDLE)
  fs.rmSync(out, { recursive: true, force: true })
  const result = await esbuild.build({
    entryPoints: [path.join(ROOT, 'dist/src/main.js')],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    write: false,
    outfile: BUNDLE,
    logLevel: 'warning',
    external: ['ts-morph', '@octokit/rest', 'esbuild'],
    // Parameters of the host's wrapper (src/cli-host.ts).
    define: { 'import.meta.url': '__b2cUrl' },
    plugins: [
      {
        name: 'host-import',
        setup(build) {
          build.onLoad({ filter: /[\\/]dist[\\/]src[\\/]load-module\.js$/ }, () => ({ contents: 'export const loadModule = (specifier) => __b2cImport(specifier)\n', loader: 'js' }))
        },
      },
    ],
  })
  const body = result.outputFiles[0].text
  // The project's modules are ES modules: they must stay strict.
  if (!body.startsWith('"use strict";')) throw new Error(`${BUNDLE} does not start in strict mode`)
  const dynamic = /\bimport\s*\(/.exec(body)
  if (dynamic) throw new Error(`${BUNDLE} would hold an import() (${JSON.stringify(body.slice(dynamic.index - 60, dynamic.index + 40))}): load such modules with loadModule (src/load-module.ts)`)
  const id = createHash('sha256').update(body).digest('hex')
  fs.mkdirSync(out, { recursive: true })
  fs.writeFileSync(BUNDLE, `// bitty2chongus build ${id}\n${body}`)
}

/** Runs migrations of the example repository (what the README starts with), then keeps the compiled code. */
async function codeCache(): Promise<void> {
  const cli = loadCli({ useCache: false })
  const example = path.join(ROOT, 'examples/home-ops')
  const write = process.stdout.write
  const writeErr = process.stderr.write
  const codes: number[] = []
  try {
    process.stdout.write = process.stderr.write = () => true
    codes.push(await cli.run(['migrate', 'cluster-cd/apps/bitty/default/webapp', '--repo', example]))
    codes.push(await cli.run(['migrate', '--all', '--repo', example, '--format', 'json']))
  } finally {
    process.stdout.write = write
    process.stderr.write = writeErr
  }
  if (codes.some((c) => c !== 0)) throw new Error(`the example migrations that make the code cache failed (exit codes ${codes.join(', ')}): run node bin/bitty2chongus.js migrate --all --repo examples/home-ops`)
  fs.writeFileSync(CACHE, Buffer.concat([Buffer.from(cli.id!, 'latin1'), cli.script.createCachedData()]))
}

async function models(): Promise<void> {
  const out = path.join(ROOT, 'dist/models')
  const entries = new Map<string, string>()
  for (const line of BUNDLED_KINDS) {
    const [apiVersion, kind] = line.split(' ')
    const spec = modelSpecifier(apiVersion, kind)
    if (!spec) throw new Error(`no model package covers ${line}`)
    entries.set(bundleName(apiVersion, kind), `export { ${kind} } from '${spec}'\n`)
  }
  fs.rmSync(out, { recursive: true, force: true })
  await esbuild.build({
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    // A CommonJS dependency of the validators (ajv-formats) requires a built-in module, which an ES module bundle
    // can only do through a require of its own.
    banner: { js: "import{createRequire as __b2cRequire}from'node:module';const require=__b2cRequire(import.meta.url);" },
    entryPoints: [...entries.keys()].map((name) => ({ in: `model:${name}`, out: name })),
    plugins: [
      {
        name: 'model-entries',
        setup(build) {
          build.onResolve({ filter: /^model:/ }, (a) => ({ path: a.path.slice('model:'.length), namespace: 'model' }))
          build.onLoad({ filter: /.*/, namespace: 'model' }, (a) => ({ contents: entries.get(a.path), resolveDir: ROOT, loader: 'js' }))
        },
      },
    ],
    minify: true,
    outdir: out,
  })
  // Written last: a build that failed half-way leaves no manifest, and the packages serve every model.
  fs.writeFileSync(path.join(out, MANIFEST), `export const kinds = ${JSON.stringify(BUNDLED_KINDS, null, 2)}\n`)
}

await Promise.all([cli(), models()])
// The cache is made with the models bundled, as the CLI runs.
await codeCache()
