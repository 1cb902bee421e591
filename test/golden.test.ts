/**
 * Golden cases: golden/<transform-id>--<scenario>/{case.yaml,input/,expected/,diagnostics.txt}.
 * UPDATE_GOLDEN=1 rewrites expected/ and diagnostics.txt (read every change before committing it).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatDiagnostics } from '../src/diagnostics.ts'
import { YamlFile } from '../src/document.ts'
import { migrate } from '../src/migrate.ts'
import { builtinTransforms } from '../transforms/index.ts'
import { FOLLOW_UP } from '../src/verify.ts'
import { applyChanges, gitApply, readTree, writeTree } from './helpers.ts'

const GOLDEN = path.resolve(__dirname, '../golden')
const UPDATE = process.env.UPDATE_GOLDEN === '1'

interface Case {
  description: string
  apps: string[]
  transforms?: string[]
  options?: { force?: boolean; removeSource?: boolean; toNamespace?: string; vars?: string[]; toAppTemplate?: boolean }
}

function loadCase(dir: string): Case {
  const y = new YamlFile(fs.readFileSync(path.join(dir, 'case.yaml'), 'utf8'))
  return y.docs[0].get([]) as Case
}

function run(c: Case, id: string, tree: Record<string, string>, transforms?: string[]) {
  const ids = transforms ?? c.transforms ?? builtinTransforms.map((t) => t.id).slice(0, builtinTransforms.findIndex((t) => t.id === id) + 1)
  return migrate({
    repo: tree,
    apps: c.apps,
    transforms: builtinTransforms.filter((t) => ids.includes(t.id)),
    force: String(c.options?.force) === 'true',
    removeSource: String(c.options?.removeSource) === 'true',
    toAppTemplate: String(c.options?.toAppTemplate) === 'true',
    toNamespace: c.options?.toNamespace,
    vars: c.options?.vars,
  })
}

const cases = fs
  .readdirSync(GOLDEN)
  .filter((d) => !d.startsWith('_') && fs.existsSync(path.join(GOLDEN, d, 'case.yaml')))
  .sort()

describe.each(cases)('golden %s', (name) => {
  const dir = path.join(GOLDEN, name)
  const id = name.split('--')[0]
  const c = loadCase(dir)
  const input = readTree(path.join(dir, 'input'))

  it('produces the expected tree and diagnostics', async () => {
    const r = await run(c, id, input)
    // With errors nothing is written: the expected tree is the input.
    const out = r.ok ? applyChanges(input, r.changes) : input
    const diags = formatDiagnostics(r.diagnostics)
    if (UPDATE) {
      writeTree(path.join(dir, 'expected'), out)
      fs.writeFileSync(path.join(dir, 'diagnostics.txt'), diags)
    }
    const expected = readTree(path.join(dir, 'expected'))
    expect(Object.keys(out).sort()).toEqual(Object.keys(expected).sort())
    for (const p of Object.keys(expected)) expect(out[p], p).toBe(expected[p])
    expect(diags).toBe(fs.readFileSync(path.join(dir, 'diagnostics.txt'), 'utf8'))
  })

  it('changes nothing when run again on its output', async () => {
    const expected = readTree(path.join(dir, 'expected'))
    const gone = c.apps.filter((a) => !(`${a}/ks.yaml` in expected))
    if (gone.length > 0) {
      // --remove-source: the legacy app is gone, so a second run is a clear usage error that changes nothing.
      await expect(run(c, id, expected)).rejects.toThrow(/is not a legacy app folder|has no ks.yaml/)
      return
    }
    const r = await run(c, id, expected)
    if (!(await run(c, id, input)).ok) {
      // A refused migration wrote nothing, so running it again is refused the same way.
      expect(r.ok).toBe(false)
      expect(formatDiagnostics(r.diagnostics)).toBe(fs.readFileSync(path.join(dir, 'diagnostics.txt'), 'utf8'))
      return
    }
    expect(r.changes.map((x) => x.path)).toEqual([])
  })

  it('introduces no check error: its output passes check, every remaining finding is a follow-up', async () => {
    const r = await run(c, id, input)
    if (r.diagnostics.some((d) => d.severity === 'error' && !d.ruleId.startsWith('check/'))) {
      // The transforms themselves refused the migration (nothing is written): check's view of it does not matter.
      expect(r.ok).toBe(false)
      return
    }
    const check = r.diagnostics.filter((d) => d.ruleId.startsWith('check/'))
    expect(r.diagnostics.filter((d) => d.ruleId === 'verify/skipped')).toEqual([])
    expect(formatDiagnostics(check.filter((d) => d.severity === 'error'))).toBe('')
    // Warnings are either follow-ups of the legacy app or advice about the output (a dependency not migrated yet).
    for (const d of check) if (d.severity === 'info') expect(d.message.startsWith(FOLLOW_UP), d.message).toBe(true)
  })

  it('changes nothing with an empty pipeline', async () => {
    const r = await run(c, id, input, [])
    expect(r.changes).toEqual([])
    expect(r.patch).toBe('')
  })

  it('emits a patch that git apply accepts', async () => {
    const r = await run(c, id, input)
    if (r.changes.length === 0) return
    expect(gitApply(input, r.patch)).toEqual(applyChanges(input, r.changes))
  })
})
