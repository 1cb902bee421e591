/**
 * What `npm run build` makes for a fast start (src/dev/bundles.ts): the CLI's CommonJS bundle and its code cache
 * (src/cli-host.ts), and the bundled schema models (src/check/bundled-models.ts). `npm test` builds before it runs.
 */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { BUNDLED_KINDS, MANIFEST, bundledModelUrl } from '../src/check/bundled-models.ts'
import { modelFor, modelSpecifier } from '../src/check/schema.ts'
import { ROOT } from './package-user.ts'

type Host = typeof import('../src/cli-host.ts')
const host = (root: string): Promise<Host> => import(pathToFileURL(path.join(root, 'dist/src/cli-host.js')).href) as Promise<Host>

const temps: string[] = []
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

/** A copy of the built CLI (host, bundle, cache) whose cache file `edit` may change. */
function builtCopy(edit: (cache: Buffer) => Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-bundle-'))
  temps.push(dir)
  fs.mkdirSync(path.join(dir, 'dist/src'), { recursive: true })
  fs.copyFileSync(path.join(ROOT, 'dist/src/cli-host.js'), path.join(dir, 'dist/src/cli-host.js'))
  fs.cpSync(path.join(ROOT, 'dist/cli'), path.join(dir, 'dist/cli'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n')
  const cache = path.join(dir, 'dist/cli/main.cjs.cache')
  fs.writeFileSync(cache, edit(fs.readFileSync(cache)))
  return dir
}

/** Runs `body` in a fresh node with the host of `root` as `h`; returns what it printed. */
function inNode(root: string, body: string): string {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const h = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist/src/cli-host.js')).href)});\n${body}`], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(r.stderr)
  return r.stdout
}

describe('the CLI bundle', () => {
  it('starts from the code cache the build made of it', () => {
    expect(inNode(ROOT, `const c = h.loadCli(); process.stdout.write(c.cache)`)).toBe('accepted')
  })

  it('offers no cache of another build to V8, and runs the same without it', () => {
    const dir = builtCopy((c) => Buffer.concat([Buffer.from('0'.repeat(64), 'latin1'), c.subarray(64)]))
    expect(inNode(dir, `const c = h.loadCli(); process.stdout.write(c.cache + ' '); process.exitCode = await c.run(['--version'])`)).toMatch(/^none \d+\.\d+\.\d+\n$/)
  })

  it('drops a cache V8 refuses (damaged, or of another Node), and runs the same without it', () => {
    const dir = builtCopy((c) => Buffer.concat([c.subarray(0, 64), Buffer.alloc(c.length - 64, 7)]))
    expect(inNode(dir, `const c = h.loadCli(); process.stdout.write(c.cache + ' '); process.exitCode = await c.run(['--version'])`)).toMatch(/^rejected \d+\.\d+\.\d+\n$/)
  })

  it('is one strict CommonJS file with no import() of its own, and names its build', async () => {
    const { BUNDLE, BUILD_LINE } = await host(ROOT)
    const text = fs.readFileSync(BUNDLE, 'utf8')
    expect(text).toMatch(BUILD_LINE)
    expect(text.split('\n')[1]).toBe('"use strict";')
    expect(text).not.toMatch(/\bimport\s*\(/)
    // What loads on demand stays out of it.
    expect(text).not.toContain('class Octokit')
    expect(text).not.toContain('SAMPLE_APP_FILES')
  })
})

describe('bundled schema models', () => {
  it('are built for every listed kind, with the manifest', async () => {
    const manifest = (await import(pathToFileURL(path.join(ROOT, 'dist/models', MANIFEST)).href)) as { kinds: string[] }
    expect(manifest.kinds).toEqual([...BUNDLED_KINDS])
    for (const line of BUNDLED_KINDS) {
      const [apiVersion, kind] = line.split(' ')
      expect(fs.existsSync(new URL((await bundledModelUrl(apiVersion, kind))!))).toBe(true)
    }
  })

  it('are what modelFor returns, and kinds not bundled come from their package', async () => {
    const Deployment = await modelFor('apps/v1', 'Deployment')
    expect(Deployment).toBe(((await import((await bundledModelUrl('apps/v1', 'Deployment'))!)) as Record<string, unknown>).Deployment)
    expect(await bundledModelUrl('v1', 'LimitRange')).toBeUndefined()
    expect(await modelFor('v1', 'LimitRange')).toBe(((await import('kubernetes-models/v1/LimitRange')) as Record<string, unknown>).LimitRange)
    expect(await modelFor('kustomize.toolkit.fluxcd.io/v1', 'NoSuchKind')).toBeNull()
  })

  it('validate as the packages do', async () => {
    type Model = new (data: unknown) => { validate(): void }
    const errorsOf = (M: Model, data: unknown) => {
      try {
        new M(data).validate()
        return []
      } catch (e) {
        return ((e as { errors?: { instancePath: string; keyword: string }[] }).errors ?? []).map((x) => `${x.instancePath} ${x.keyword}`).sort()
      }
    }
    for (const line of BUNDLED_KINDS) {
      const [apiVersion, kind] = line.split(' ')
      const bundled = ((await import((await bundledModelUrl(apiVersion, kind))!)) as Record<string, Model>)[kind]
      const packaged = ((await import(modelSpecifier(apiVersion, kind)!)) as Record<string, Model>)[kind]
      expect(bundled).not.toBe(packaged)
      const samples = [
        { metadata: { name: 'a', labels: { x: 1 } }, spec: 'not a map', extra: true },
        { metadata: { name: 'a' }, spec: { interval: 5, chart: [], rules: 'x', selector: 3, replicas: '2', ports: [{ port: '80' }] } },
        { metadata: { name: 'a' } },
      ]
      for (const s of samples) expect(errorsOf(bundled, s), `${line} ${JSON.stringify(s)}`).toEqual(errorsOf(packaged, s))
    }
  })
})
