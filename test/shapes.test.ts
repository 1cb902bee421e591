/**
 * Every value of an app's YAML replaced, one at a time, by a value of another shape (a string, an empty map, an
 * empty list, a null): the migration never crashes a transform and never throws; a run with errors names where each
 * is. This is how hand edits and half-finished files break manifests, and every transform reads shapes.
 */
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { Scalar, YAMLMap, YAMLSeq, isMap, isSeq, parseAllDocuments, type Document, type Node } from 'yaml'
import { MigrationError } from '../src/errors.ts'
import { migrate } from '../src/migrate.ts'
import { readTree } from './helpers.ts'

const REPLACEMENTS: Record<string, () => Node> = {
  'a string': () => new Scalar('x'),
  'an empty map': () => new YAMLMap(),
  'an empty list': () => new YAMLSeq(),
  'a null': () => new Scalar(null),
}

/** Each way to put `make()` in place of one value of `text`: map values and list items, in document order. */
function* replaced(text: string, make: () => Node): Generator<string> {
  const count = (docs: Document[]) => {
    const slots: { parent: YAMLMap | YAMLSeq; index: number }[] = []
    const walk = (n: unknown) => {
      if (isMap(n))
        n.items.forEach((p, index) => {
          if (p.value === null) return
          slots.push({ parent: n, index })
          walk(p.value)
        })
      else if (isSeq(n))
        n.items.forEach((item, index) => {
          slots.push({ parent: n, index })
          walk(item)
        })
    }
    for (const d of docs) walk(d.contents)
    return slots
  }
  const n = count(parseAllDocuments(text) as Document[]).length
  for (let i = 0; i < n; i++) {
    const docs = parseAllDocuments(text) as Document[]
    const { parent, index } = count(docs)[i]
    if (isMap(parent)) parent.items[index].value = make()
    else parent.items[index] = make()
    let out: string
    try {
      out = docs.map((d) => d.toString()).join('')
    } catch {
      // The value held an anchor that an alias after it still names: no such file can be written.
      continue
    }
    yield out
  }
}

const CASES: { name: string; dir: string; app: string; toAppTemplate?: boolean }[] = [
  { name: 'ks-layout--basic', dir: '../golden/ks-layout--basic/input', app: 'cluster-cd/apps/bitty/default/webapp' },
  { name: 'raw-to-app-template--basic', dir: '../golden/raw-to-app-template--basic/input', app: 'cluster-cd/apps/bitty/default/ledger', toAppTemplate: true },
]

describe('values of another shape', { timeout: 120_000 }, () => {
  it.each(CASES.flatMap((c) => Object.keys(REPLACEMENTS).map((r) => [c.name, r, c] as const)))('%s, each value made %s', async (_name, replacement, c) => {
    const tree = readTree(path.resolve(__dirname, c.dir))
    const files = Object.keys(tree).filter((p) => p.startsWith(`${c.app}/`) && /\.ya?ml$/.test(p))
    let runs = 0
    const outcomes = new Set<string>()
    for (const f of files) {
      for (const text of replaced(tree[f], REPLACEMENTS[replacement])) {
        runs++
        let r
        try {
          r = await migrate({ repo: { ...tree, [f]: text }, apps: [c.app], toAppTemplate: c.toAppTemplate })
        } catch (e) {
          expect(e, `${f}:\n${text}`).toBeInstanceOf(MigrationError)
          outcomes.add('run error')
          continue
        }
        const shown = `${f}:\n${text}\n${r.diagnostics.map((d) => `${d.file}:${d.line}: ${d.severity} ${d.ruleId} ${d.message}`).join('\n')}`
        expect(r.diagnostics.filter((d) => d.ruleId.endsWith('/crashed')), shown).toEqual([])
        for (const d of r.diagnostics) if (d.severity === 'error') expect(d.file, shown).toBeTruthy()
        outcomes.add(r.ok ? 'migrated' : 'refused')
      }
    }
    expect(runs).toBeGreaterThan(50)
    // Some replacements are harmless and some are refused: the cases reach both sides.
    expect(outcomes).toContain('migrated')
    expect(outcomes).toContain('refused')
  })
})
