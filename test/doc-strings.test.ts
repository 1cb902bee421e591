/**
 * `YamlDoc.strings()` lists every string scalar and map key in one walk of the tree. It must list exactly what a
 * walk through the path API lists (the paths are what transforms edit through), on every shape of document.
 */
import * as fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { everyYamlFile } from './helpers.ts'
import type { Document } from 'yaml'
import { YamlFile, type KeyPath, type YamlDoc } from '../src/document.ts'

/** The same listing through the path API, one lookup from the root per node. */
function byPath(doc: YamlDoc): { path: KeyPath; value: string; key: boolean }[] {
  const out: { path: KeyPath; value: string; key: boolean }[] = []
  const visit = (p: KeyPath): void => {
    if (p.length > 0 && doc.aliasOf(p) !== undefined) return
    if (doc.isMap(p)) {
      for (const k of doc.keys(p)) {
        out.push({ path: [...p, k], value: k, key: true })
        visit([...p, k])
      }
    } else if (doc.isSeq(p)) {
      for (let i = 0; i < doc.length(p); i++) visit([...p, i])
    } else {
      const v = doc.getString(p)
      if (v !== undefined) out.push({ path: p, value: v, key: false })
    }
  }
  visit([])
  return out
}

const docsOf = (text: string) => new YamlFile(text).docs

describe('YamlDoc.strings', () => {
  it('lists keys before their values, depth first, and does not enter aliases', () => {
    const [d] = docsOf('a: &x\n  b: "1"\n  c: [d, e]\nf: *x\ng:\nh: [*x, i]\n')
    expect(d.strings()).toEqual([
      { path: ['a'], value: 'a', key: true },
      { path: ['a', 'b'], value: 'b', key: true },
      { path: ['a', 'b'], value: '1', key: false },
      { path: ['a', 'c'], value: 'c', key: true },
      { path: ['a', 'c', 0], value: 'd', key: false },
      { path: ['a', 'c', 1], value: 'e', key: false },
      { path: ['f'], value: 'f', key: true },
      { path: ['g'], value: 'g', key: true },
      // An empty value is the empty string (the failsafe schema).
      { path: ['g'], value: '', key: false },
      { path: ['h'], value: 'h', key: true },
      { path: ['h', 1], value: 'i', key: false },
    ])
  })

  it('lists a document that is one scalar (an empty document is the empty string)', () => {
    expect(docsOf('just text\n')[0].strings()).toEqual([{ path: [], value: 'just text', key: false }])
    expect(docsOf('---\n')[0].strings()).toEqual([{ path: [], value: '', key: false }])
    expect(docsOf('---\n')[0].strings()).toEqual(byPath(docsOf('---\n')[0]))
  })

  it('names a repeated key by its first pair, as the path API does', () => {
    const [d] = docsOf('a: one\na: two\n')
    expect(d.strings()).toEqual(byPath(d))
    expect(d.strings().filter((s) => !s.key).map((s) => s.value)).toEqual(['one', 'one'])
  })

  it('agrees with a walk through the path API on every document of the project and the corpus, edited or not', () => {
    const files = everyYamlFile()
    let listed = 0
    for (const f of files) {
      for (const d of docsOf(fs.readFileSync(f, 'utf8'))) {
        expect(d.strings(), f).toEqual(byPath(d))
        listed += d.strings().length
        // `get` reads a scalar's value directly: the value yaml's toJS gives it.
        for (const s of d.strings()) if (!s.key) expect(d.get(s.path), f).toBe(d.node(s.path)!.toJS(d.doc as Document))
        // After an edit the tree holds new nodes (no source positions): still the same listing.
        if (d.isMap([]) && d.frozen === undefined) {
          d.set(['zz-added'], { list: ['x', { y: 'z' }] })
          expect(d.strings(), f).toEqual(byPath(d))
        }
      }
    }
    expect(listed).toBeGreaterThan(10000)
  })
})
