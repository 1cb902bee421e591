/** The README's transform catalogue: generated from the sources, and checked to be up to date. */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as tm from 'ts-morph'
import { afterAll, describe, expect, it } from 'vitest'
import { END, START, docs, renderCatalogue, spliceCatalogue } from '../src/dev/catalogue.ts'
import { readTransformProject } from '../src/dev/lint-transforms.ts'
import { projectLayout } from '../src/dev/ts-morph.ts'
import { writeTree } from './helpers.ts'
import { ROOT } from './package-user.ts'

describe('catalogue', () => {
  it('README.md is up to date (npm run docs:check)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/src/dev/catalogue.js'), '--check'], { cwd: ROOT, encoding: 'utf8' })
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' })
  })

  it('writes the table into README.md (npm run docs)', async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-readme-'))
    fs.cpSync(path.join(ROOT, 'transforms'), path.join(copy, 'transforms'), { recursive: true })
    fs.writeFileSync(path.join(copy, 'README.md'), `# x\n\n${START}\nstale\n${END}\n`)
    expect((await docs(copy, false)).upToDate).toBe(false)
    expect(fs.readFileSync(path.join(copy, 'README.md'), 'utf8')).toMatch(/^# x\n\n<!-- catalogue:start -->\n[^]*\| 1 \| `ks-layout` \|[^]*\n<!-- catalogue:end -->\n$/)
    fs.rmSync(copy, { recursive: true, force: true })
  })

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-docs-'))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('reads the TSDoc above each definition, its Reports: paragraph, declared or reported rules and after', () => {
    writeTree(dir, {
      'transforms/index.ts': `import first from './first.ts'\nimport second from './second.ts'\nexport const builtinTransforms = [first, second]\n`,
      'transforms/first.ts': `import { defineTransform } from '../src/transform-api.ts'
import { note } from './lib/note.ts'

/**
 * Renames a | b. @remarks Only in apps.
 *
 * Reports: what it renamed, with @scope/package names kept.
 * @see elsewhere
 */
export default defineTransform({
  id: 'first',
  description: 'One line.',
  apply(ctx) {
    ctx.report({ rule: \`\${ctx.options.force ? 'forced' : 'kept'}-rename\`, severity: 'info', message: '' })
    note(ctx)
  },
})
`,
      'transforms/lib/note.ts': `export function note(ctx: { report(r: object): void }) {\n  ctx.report({ rule: 'noted', severity: 'info', message: '' })\n}\nexport function unused(ctx: { report(r: object): void }) {\n  ctx.report({ rule: 'never', severity: 'info', message: '' })\n}\n`,
      'transforms/second.ts': `import { defineTransform } from '../src/transform-api.ts'
export default defineTransform({
  id: 'second',
  description: 'Falls back to the description.',
  after: ['first'],
  rules: { lost: 'a value did not survive' },
  apply() {},
})
`,
    })
    expect(renderCatalogue(readTransformProject(tm, projectLayout(dir))).split('\n').slice(2)).toEqual([
      '| # | id | what it does | what it reports | runs after |',
      '| --- | --- | --- | --- | --- |',
      '| 1 | `first` | Renames a \\| b. Only in apps. | What it renamed, with @scope/package names kept. Rules: `forced-rename`, `kept-rename`, `noted`. | — |',
      '| 2 | `second` | Falls back to the description. | Rules: `lost` (a value did not survive). | `first` |',
    ])
  })

  it('replaces only the text between the markers, and needs them', () => {
    expect(spliceCatalogue(`a\n${START}\nold\n${END}\nb\n`, 'new')).toBe(`a\n${START}\nnew\n${END}\nb\n`)
    expect(() => spliceCatalogue('no markers', 'x')).toThrow(/catalogue:start/)
  })
})
