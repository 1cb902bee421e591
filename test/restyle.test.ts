/**
 * Metamorphic: a legacy app whose YAML files say the same thing in another style (4-space indents, flow maps and
 * lists, double-quoted strings, no comments, sequences not indented) migrates to the same result: the same files,
 * meaning the same under YAML 1.1, the same outcome and the same warnings and errors. A transform that read a
 * shape by its spelling (block only, plain scalars only) would differ.
 *
 * A scalar holding `${` keeps its spelling: Flux substitutes text, so quoting `${PORT}` turns a number into a string.
 */
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { isScalar, parseAllDocuments, visit, type Document } from 'yaml'
import { listLegacyApps } from '../src/app.ts'
import { loadConfig, migrate, type MigrateResult } from '../src/migrate.ts'
import { MemoryVfs } from '../src/vfs.ts'
import { Workspace } from '../src/workspace.ts'
import { readTree } from './helpers.ts'

/** Plain scalars whose meaning a quote would change (YAML 1.1 and 1.2 booleans, nulls, numbers, merge keys). */
const TYPED = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+]?[0-9][0-9_:.eE+-]*|0x[0-9a-fA-F_]+|0o[0-7_]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|=|<<)$/
const substituted = (v: unknown) => typeof v === 'string' && v.includes('${')

const STYLES: Record<string, (d: Document) => string> = {
  'four-space indents': (d) => d.toString({ indent: 4 }),
  'unindented sequences': (d) => d.toString({ indentSeq: false }),
  'flow maps and lists': (d) => {
    visit(d, {
      Map(_, n) {
        if (n.items.length <= 4 && n.items.every((p) => isScalar(p.value) && !substituted(p.value.value))) n.flow = true
      },
      Seq(_, n) {
        if (n.items.every((i) => isScalar(i) && !substituted(i.value))) n.flow = true
      },
    })
    return d.toString()
  },
  'double-quoted strings': (d) => {
    visit(d, {
      Pair(_, p) {
        const v = p.value
        if (isScalar(v) && typeof v.value === 'string' && v.type === 'PLAIN' && !TYPED.test(v.value) && !substituted(v.value) && !v.anchor) v.type = 'QUOTE_DOUBLE'
      },
    })
    return d.toString()
  },
  'no comments': (d) => {
    visit(d, (_, n) => {
      if (n && typeof n === 'object') Object.assign(n, { comment: undefined, commentBefore: undefined })
    })
    d.comment = null
    d.commentBefore = null
    return d.toString()
  },
}

/** `text` in `style`, or undefined when yaml cannot read it as 1.1 or print it. */
function restyle(text: string, style: string): string | undefined {
  const docs = parseAllDocuments(text, { version: '1.1' })
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return undefined
  try {
    return docs
      .map((d, i) => {
        const s = STYLES[style](d)
        return i > 0 && !s.startsWith('---') ? `---\n${s}` : s
      })
      .join('')
  } catch {
    return undefined
  }
}

const meaning = (text: string) => JSON.stringify(parseAllDocuments(text, { version: '1.1', merge: true }).map((d) => d.toJS({ maxAliasCount: -1 })))

/** What must not depend on style: the outcome, each written file's meaning, and the warnings and errors by rule. */
function outcome(r: MigrateResult) {
  const files: Record<string, string | null> = {}
  for (const c of r.changes) files[c.path] = c.after === undefined ? null : /\.ya?ml$/.test(c.path) ? meaning(c.after) : c.after
  return { ok: r.ok, files, findings: [...new Set(r.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.severity} ${d.ruleId}`))].sort() }
}

const REPOS: { name: string; dir: string; toAppTemplate?: boolean }[] = [
  { name: 'examples/home-ops', dir: path.resolve(__dirname, '../examples/home-ops') },
  { name: 'golden ks-layout--multi-ks', dir: path.resolve(__dirname, '../golden/ks-layout--multi-ks/input') },
  { name: 'golden helm-oci--multi-release', dir: path.resolve(__dirname, '../golden/helm-oci--multi-release/input') },
  { name: 'golden ingress-route--app-template-3x', dir: path.resolve(__dirname, '../golden/ingress-route--app-template-3x/input') },
  { name: 'golden sops-external-secret--opaque', dir: path.resolve(__dirname, '../golden/sops-external-secret--opaque/input') },
  { name: 'golden raw-to-app-template--routes', dir: path.resolve(__dirname, '../golden/raw-to-app-template--routes/input'), toAppTemplate: true },
]

describe('a legacy app migrates the same whatever the style of its YAML', { timeout: 60_000 }, () => {
  it.each(REPOS.map((r) => [r.name, r] as const))('%s', async (_name, repo) => {
    const tree = readTree(repo.dir)
    const vfs = new MemoryVfs(tree)
    const apps = listLegacyApps(new Workspace(vfs), loadConfig(vfs)).map((a) => a.path)
    expect(apps.length).toBeGreaterThan(0)
    let restyled = 0
    for (const app of apps) {
      const base = outcome(await migrate({ repo: tree, apps: [app], toAppTemplate: repo.toAppTemplate }))
      const files = Object.keys(tree).filter((p) => p.startsWith(`${app}/`) && /\.ya?ml$/.test(p))
      for (const style of Object.keys(STYLES)) {
        const changed: Record<string, string> = {}
        for (const f of files) {
          const t = restyle(tree[f], style)
          if (t !== undefined && t !== tree[f]) changed[f] = t
        }
        if (Object.keys(changed).length === 0) continue
        restyled++
        const got = outcome(await migrate({ repo: { ...tree, ...changed }, apps: [app], toAppTemplate: repo.toAppTemplate }))
        expect(got, `${app} in ${style}`).toEqual(base)
      }
    }
    // Every style changed something somewhere (the comparison is not vacuous).
    expect(restyled).toBeGreaterThanOrEqual(Object.keys(STYLES).length)
  })
})
