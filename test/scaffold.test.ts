/** `scaffold transform`: into a copy of this project (then the registry check, the golden harness and tsc pass), and its AST edit. */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { Project } from 'ts-morph'
import * as tm from 'ts-morph'
import { afterAll, describe, expect, it } from 'vitest'
import { renderCatalogue } from '../src/dev/catalogue.ts'
import { checkTransforms, readTransformProject } from '../src/dev/lint-transforms.ts'
import { readRegistry, register } from '../src/dev/registry.ts'
import { projectLayout } from '../src/dev/ts-morph.ts'
import { ROOT, cli, compile } from './package-user.ts'

/** What the scaffold needs of this project: sources, tests, the base tree and one golden case per transform. */
function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-scaffold-'))
  for (const f of ['package.json', 'tsconfig.json', 'src', 'transforms', 'bin', 'test', 'golden/_base']) fs.cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true })
  const cases = fs.readdirSync(path.join(ROOT, 'golden')).filter((d) => d.includes('--')).sort()
  const firstPerTransform = cases.filter((c, i) => cases.findIndex((x) => x.split('--')[0] === c.split('--')[0]) === i)
  for (const c of firstPerTransform) fs.cpSync(path.join(ROOT, 'golden', c), path.join(dir, 'golden', c), { recursive: true })
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'))
  return dir
}

/** The registered transform ids of the project at `root`, in order. */
function registeredIds(root: string): string[] {
  const tp = readTransformProject(tm, projectLayout(root), false)
  return tp.registry!.entries.map((e) => tp.transforms.find((t) => t.file === e.module)!.id!)
}

describe('scaffold transform in this project', { timeout: 120_000 }, () => {
  const dir = copyProject()
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('writes a transform that passes the registry check, the golden harness and the type-check', async () => {
    const last = [...registeredIds(dir)].pop()!
    const r = cli(['scaffold', 'transform', 'tidy-interval', '--after', last, '--dir', dir])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('wrote transforms/tidy-interval.ts')
    expect(r.stdout).toContain('wrote golden/tidy-interval--basic/diagnostics.txt')
    expect(registeredIds(dir)).toEqual([...registeredIds(ROOT), 'tidy-interval'])
    const tp = readTransformProject(tm, projectLayout(dir))
    expect(checkTransforms(tp)).toEqual([])
    expect(renderCatalogue(tp)).toContain(`| \`tidy-interval\` | Sets \`spec.interval\` of every HelmRelease of the app to the configured \`target.interval\`. | Each interval it changes, with the old value. Rules: \`interval-changed\` (a HelmRelease interval was set to target.interval). | \`${last}\` |`)
    expect(fs.readFileSync(path.join(dir, 'golden/tidy-interval--basic/diagnostics.txt'), 'utf8')).toContain('info tidy-interval/interval-changed HelmRelease webapp: interval 30m → 1h')
    const harness = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', 'test/golden.test.ts', '--reporter=verbose', '--testTimeout=60000'], { cwd: dir, encoding: 'utf8', env: { ...process.env, UPDATE_GOLDEN: '', FORCE_COLOR: '0', NO_COLOR: '1' } })
    expect(harness.status, harness.stdout + harness.stderr).toBe(0)
    expect(harness.stdout).toMatch(/golden tidy-interval--basic > produces the expected tree and diagnostics/)
    compile(dir)
  })

  it('refuses, exit 2 and nothing written, an existing id, an unknown --after or a bad id', () => {
    const before = fs.readFileSync(path.join(dir, 'transforms/index.ts'), 'utf8')
    expect(cli(['scaffold', 'transform', 'ks-layout', '--dir', dir])).toMatchObject({ code: 2, stderr: expect.stringContaining('transforms/ks-layout.ts already exists') })
    expect(cli(['scaffold', 'transform', 'fresh', '--after', 'nope', '--dir', dir])).toMatchObject({ code: 2, stderr: expect.stringContaining('--after nope: not registered in transforms/index.ts') })
    expect(cli(['scaffold', 'transform', 'Bad_Id', '--dir', dir])).toMatchObject({ code: 2, stderr: expect.stringContaining('must be kebab-case') })
    expect(fs.readFileSync(path.join(dir, 'transforms/index.ts'), 'utf8')).toBe(before)
    expect(fs.existsSync(path.join(dir, 'transforms/fresh.ts'))).toBe(false)
  })
})

describe('registering in a pipeline file', () => {
  const files: Record<string, string> = {
    'a.ts': `export default { id: 'a' }`,
    'b.ts': `export default { id: 'b' }`,
  }
  const edit = (registry: string, after: string[], name = 'fresh') => {
    const project = new Project({ useInMemoryFileSystem: true })
    for (const [f, t] of Object.entries(files)) project.createSourceFile(`/p/${f}`, t)
    const sf = project.createSourceFile('/p/index.ts', registry)
    const reg = readRegistry(tm, sf)!
    const ids: Record<string, string> = { '/p/a.ts': 'a', '/p/b.ts': 'b' }
    register(tm, reg, name, '/p/fresh.ts', after, (e) => (e.module ? ids[e.module] : undefined))
    return sf.getFullText()
  }

  it('adds the import and the element after its last dependency, keeping comments and layout', () => {
    const src = `/** Registry. */\nimport a from './a.ts'\n// b needs a\nimport b from './b.ts'\n\nexport const all = [\n  a, // first\n  // then b\n  b,\n] as const\n`
    expect(edit(src, ['a'])).toBe(`/** Registry. */\nimport a from './a.ts'\n// b needs a\nimport b from './b.ts'\nimport fresh from './fresh.ts'\n\nexport const all = [\n  a, // first\n  fresh,\n  // then b\n  b,\n] as const\n`)
    expect(edit(src, [])).toContain(`  // then b\n  b,\n  fresh,\n] as const\n`)
    expect(edit(src, ['b', 'a'])).toContain(`  b,\n  fresh,\n]`)
  })

  it('handles one-line arrays, lists without a trailing comma, .js imports and pipeline(...) chains', () => {
    expect(edit(`import a from './a.js'\nimport b from './b.js'\nexport const all = [a, b]\n`, ['a'])).toBe(`import a from './a.js'\nimport b from './b.js'\nimport fresh from './fresh.js'\nexport const all = [a, fresh, b]\n`)
    expect(edit(`import a from './a.ts'\nexport const all: unknown[] = [\n  a // only\n]\n`, ['a'])).toContain(`[\n  a, // only\n  fresh\n]`)
    expect(edit(`import { pipeline, builtinTransforms } from 'bitty2chongus'\nimport a from './a.ts'\nexport const steps = pipeline(builtinTransforms).insertAfter('x', a)\n`, ['a'])).toContain(`pipeline(builtinTransforms).insertAfter('x', a).add(fresh)`)
  })
})
