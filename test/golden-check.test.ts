/**
 * Golden cases of `check`: golden-check/<rule>--pass|fail[-<n>]/{case.yaml,input/,diagnostics.txt}. The input is an
 * overlay on golden-check/_base (a conformant repository): its files replace or add to the base's, and case.yaml
 * may `delete` base paths, give the `paths` to check and ask for the real kustomize build (`kustomize: true`).
 * A pass case reports nothing of its rule; a fail case reports its rule. UPDATE_GOLDEN=1 rewrites diagnostics.txt.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { check } from '../src/check/index.ts'
import { RULES } from '../src/check/rules.ts'
import { formatDiagnostics } from '../src/diagnostics.ts'
import { YamlFile } from '../src/document.ts'
import { kubectlBuilder } from '../src/kubectl.ts'
import { readTree } from './helpers.ts'

const ROOT = path.resolve(__dirname, '../golden-check')
const UPDATE = process.env.UPDATE_GOLDEN === '1'

interface Case {
  description: string
  paths?: string[]
  delete?: string[]
  kustomize?: string | boolean
  /** PATH for the kubectl lookup (to show the run without kubectl). */
  pathEnv?: string
}

/** The case's repository: the base, minus deletions, plus the case's files. */
export function caseTree(dir: string, c: Case): Record<string, string> {
  const tree = readTree(path.join(ROOT, '_base'))
  for (const d of c.delete ?? []) for (const p of Object.keys(tree)) if (p === d || p.startsWith(`${d}/`)) delete tree[p]
  return { ...tree, ...readTree(path.join(dir, 'input')) }
}

const cases = fs
  .readdirSync(ROOT)
  .filter((d) => !d.startsWith('_'))
  .sort()

describe.each(cases)('check golden %s', (name) => {
  const dir = path.join(ROOT, name)
  const c = (new YamlFile(fs.readFileSync(path.join(dir, 'case.yaml'), 'utf8')).docs[0].get([]) ?? {}) as Case
  const rule = `check/${name.split('--')[0]}`
  const kind = name.split('--')[1]

  it(`${kind === 'pass' || kind.startsWith('pass-') ? 'passes' : 'fails'} with the expected diagnostics`, async () => {
    const builder = String(c.kustomize) === 'true' ? kubectlBuilder(c.pathEnv !== undefined ? { pathEnv: c.pathEnv } : {}) : undefined
    const r = await check({ repo: caseTree(dir, c), paths: c.paths, builder })
    const text = formatDiagnostics(r.diagnostics)
    if (UPDATE) fs.writeFileSync(path.join(dir, 'diagnostics.txt'), text)
    expect(text).toBe(fs.readFileSync(path.join(dir, 'diagnostics.txt'), 'utf8'))
    const mine = r.diagnostics.filter((d) => d.ruleId === rule)
    if (kind.startsWith('pass')) expect(mine).toEqual([])
    else expect(mine.length).toBeGreaterThan(0)
  })
})

describe('check golden cases', () => {
  it('the base repository is conformant', async () => {
    const r = await check({ repo: readTree(path.join(ROOT, '_base')) })
    expect(formatDiagnostics(r.diagnostics)).toBe('')
  })

  it('every rule has a passing and a failing case', () => {
    const missing: string[] = []
    for (const rule of Object.keys(RULES)) {
      if (!cases.some((c) => c.startsWith(`${rule}--pass`))) missing.push(`${rule}--pass`)
      if (!cases.some((c) => c.startsWith(`${rule}--fail`))) missing.push(`${rule}--fail`)
    }
    expect(missing).toEqual([])
  })
})
