/** ts-morph (and the TypeScript compiler under it) is for authoring only: `migrate` never loads it, nor needs it installed. */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MigrationError } from '../src/errors.ts'
import { loadTsMorph } from '../src/dev/ts-morph.ts'
import { ROOT, cli } from './package-user.ts'

const APP = 'cluster-cd/apps/bitty/default/webapp'
const REPO = path.join(ROOT, 'examples/home-ops')

/** Runs `body` (an ES module body with `root`, `repo` and `app` in scope) in a fresh node; lists the ts-morph/typescript modules it loaded. */
function trace(body: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-trace-'))
  try {
    const script = path.join(dir, 'trace.mjs')
    fs.writeFileSync(
      script,
      `import { createRequire } from 'node:module'
const root = ${JSON.stringify(ROOT)}, repo = ${JSON.stringify(REPO)}, app = ${JSON.stringify(APP)}
${body}
// CommonJS packages such as ts-morph and typescript land in the require cache even when imported from ESM.
const loaded = Object.keys(createRequire(import.meta.url).cache).filter((p) => /node_modules[\\\\/](ts-morph|@ts-morph|typescript)[\\\\/]/.test(p))
process.stderr.write('@@' + JSON.stringify(loaded))
`,
    )
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8' })
    const at = r.stderr.lastIndexOf('@@')
    if (r.status !== 0 || at < 0) throw new Error(`trace script failed: ${r.stderr}`)
    return JSON.parse(r.stderr.slice(at + 2))
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

describe('ts-morph stays off the migrate path', () => {
  it('is seen by the trace when it is loaded (the control)', () => {
    expect(trace(`const { loadTsMorph } = await import(root + '/dist/src/dev/ts-morph.js'); await loadTsMorph()`).length).toBeGreaterThan(0)
  })

  it('is not loaded by the built CLI running migrate', () => {
    expect(trace(`const { run } = await import(root + '/dist/src/main.js'); process.stdout.write = () => true; await run(['migrate', app, '--repo', repo, '--format', 'json'])`)).toEqual([])
  })

  it('is not loaded by the CLI bundle (what bin/bitty2chongus.js runs) running migrate', () => {
    expect(trace(`const { loadCli } = await import(root + '/dist/src/cli-host.js'); process.stdout.write = () => true; if ((await loadCli().run(['migrate', app, '--repo', repo])) !== 0) throw new Error('migration failed')`)).toEqual([])
  })

  it('is not loaded by the library entry running migrate', () => {
    expect(trace(`const lib = await import(root + '/dist/src/index.js'); if (!(await lib.migrate({ repo: new lib.NodeVfs(repo), apps: [app] })).ok) throw new Error('migration failed')`)).toEqual([])
  })

  const install = installWithout(['ts-morph', '@ts-morph', 'typescript'])
  afterAll(() => fs.rmSync(install, { recursive: true, force: true }))

  it('is not needed by an install without it: migrate works, scaffold says to install it and exits 2', () => {
    const bin = path.join(install, 'bin/bitty2chongus.js')
    const m = cli(['migrate', APP, '--repo', REPO], ROOT, bin)
    expect(m.code).toBe(0)
    expect(m.stdout).toContain('+++ b/cluster-apps/chongus/default/webapp/ks.yaml')
    const s = cli(['scaffold', 'transform', 'new-step', '--dir', install], ROOT, bin)
    expect(s.code).toBe(2)
    expect(s.stderr).toBe('bitty2chongus: this command needs ts-morph, a development dependency: run npm install --save-dev ts-morph\n')
  })

  it('turns a missing ts-morph into a MigrationError, and passes other failures through', async () => {
    const missing = Object.assign(new Error('Cannot find package'), { code: 'ERR_MODULE_NOT_FOUND' })
    await expect(loadTsMorph(() => Promise.reject(missing))).rejects.toThrow(MigrationError)
    await expect(loadTsMorph(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
  })
})

/** A copy of the built package whose node_modules has every dependency but `omit`. */
function installWithout(omit: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-install-'))
  for (const f of ['package.json', 'bin', 'dist', 'golden/_base']) fs.cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true })
  fs.mkdirSync(path.join(dir, 'node_modules'))
  for (const name of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (!omit.includes(name) && !name.startsWith('.')) fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(dir, 'node_modules', name))
  }
  return dir
}
