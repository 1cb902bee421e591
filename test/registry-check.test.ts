/** `npm run lint:transforms` on this repository, and each of its rules on a project that breaks them. */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { lintTransforms } from '../src/dev/lint-transforms.ts'
import { writeTree } from './helpers.ts'
import { ROOT } from './package-user.ts'

const t = (id: string, extra = '', body = '') => `import { defineTransform } from '../src/transform-api.ts'
${extra}
export default defineTransform({
  id: '${id}',
  description: 'd',
  apply(ctx) {${body}},
})
`

describe('registry check', () => {
  it('passes on this repository (npm run lint:transforms)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/src/dev/lint-transforms.js')], { cwd: ROOT, encoding: 'utf8' })
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: 'transforms: registry OK\n', stderr: '' })
  })

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-lint-'))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('names every broken rule at its place', async () => {
    writeTree(dir, {
      'transforms/index.ts': [
        `import good from './good.ts'`,
        `import early from './early.ts'`,
        `import misnamed from './misnamed.ts'`,
        `import twice from './twice.ts'`,
        `import impure from './impure.ts'`,
        `import loose from './loose.ts'`,
        `export const builtinTransforms = [early, good, misnamed, twice, twice, impure, loose]`,
        '',
      ].join('\n'),
      'transforms/good.ts': t('good'),
      'transforms/early.ts': t('early').replace(`description: 'd',`, `description: 'd',\n  after: ['good', 'ghost'],`),
      'transforms/misnamed.ts': t('mis-named'),
      'transforms/twice.ts': t('twice'),
      'transforms/impure.ts': t('impure', `import { readFileSync } from 'node:fs'\nimport { parse } from 'yaml'\nimport { help } from './lib/help.ts'`),
      'transforms/loose.ts': t('loose', '', `\n    ctx.report({ rule: true ? 'declared' : 'undeclared', severity: 'info', message: 'm' })\n  `).replace(`description: 'd',`, `description: 'd',\n  rules: { declared: 'x' },`),
      'transforms/unregistered.ts': t('unregistered'),
      'transforms/plain.ts': `export const notATransform = 1\n`,
      'transforms/lib/help.ts': `export const help = () => import('ts-morph')\n`,
      ...Object.fromEntries(['good', 'early', 'mis-named', 'twice', 'impure', 'unregistered', 'plain'].map((id) => [`golden/${id}--basic/case.yaml`, 'apps: []\n'])),
    })
    expect(await lintTransforms(dir)).toEqual([
      'transforms/index.ts:7:35: early must come after good (it names it in after)',
      'transforms/early.ts:3:32: early runs after ghost, which is not registered before it',
      'transforms/loose.ts:3:32: loose has no golden case (golden/loose--<scenario>/case.yaml)',
      'transforms/loose.ts:3:32: loose reports rule undeclared, which its rules do not declare',
      'transforms/misnamed.ts:3:32: id mis-named differs from the file name misnamed',
      "transforms/plain.ts: no `export default defineTransform({ id: 'plain', ... })`",
      'transforms/twice.ts:3:32: twice is registered 2 times in transforms/index.ts',
      'transforms/unregistered.ts:3:32: unregistered is not registered in transforms/index.ts',
      'transforms/impure.ts:2:1: imports node:fs; transforms use the transform API only (no node:*, yaml or TypeScript tooling)',
      'transforms/impure.ts:3:1: imports yaml; transforms use the transform API only (no node:*, yaml or TypeScript tooling)',
      'transforms/lib/help.ts:1:27: imports ts-morph; transforms use the transform API only (no node:*, yaml or TypeScript tooling)',
    ])
  })
})
