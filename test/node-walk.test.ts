/**
 * Two shortcuts past yaml's generic walk: `eachNode` meets nodes as `visit` does (alias resolution and the alias
 * checks depend on that order), and printing skips the directives' tag walk only where it cannot change the print.
 */
import * as fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { isCollection, isNode, parseAllDocuments, visit, type Node as YNode } from 'yaml'
import { everyYamlFile } from './helpers.ts'
import { YamlFile, eachNode } from '../src/document.ts'

/** What `visit` meets: every node in order, with whether a collection around it has an anchor. */
function byVisit(contents: unknown): [YNode, boolean][] {
  const out: [YNode, boolean][] = []
  if (!isNode(contents)) return out
  visit(contents, {
    Node(_, n, path) {
      out.push([n, path.some((p) => isCollection(p) && p.anchor !== undefined)])
    },
  })
  return out
}

function byWalk(contents: unknown): [YNode, boolean][] {
  const out: [YNode, boolean][] = []
  eachNode(contents, (n, inAnchored) => out.push([n, inAnchored]))
  return out
}

describe('eachNode', () => {
  it('meets the nodes of every document of the project and the corpus as visit does, in its order', () => {
    let nodes = 0
    let anchored = 0
    for (const file of everyYamlFile()) {
      for (const d of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
        const want = byVisit(d.contents)
        const got = byWalk(d.contents)
        expect(got.length, file).toBe(want.length)
        for (let i = 0; i < want.length; i++) {
          expect(got[i][0] === want[i][0], `${file}: node ${i}`).toBe(true)
          expect(got[i][1], `${file}: node ${i}`).toBe(want[i][1])
        }
        nodes += got.length
        anchored += got.filter(([, a]) => a).length
      }
    }
    expect(nodes).toBeGreaterThan(10_000)
    expect(anchored).toBeGreaterThan(0)
  })

  it('follows complex keys, flow collections, anchors on scalars and collections, and empty values', () => {
    const text = ['? [a, &k {b: *x}]', ': &m', '  - &s 1', '  - *s', '  - { c: [*m] }', '  -', 'e: !!str &t 2', 'f: *t', ''].join('\n')
    const [d] = parseAllDocuments(`x: &x 0\n---\n${text}`).slice(1)
    const got = byWalk(d.contents)
    expect(got.map(([n]) => n)).toEqual(byVisit(d.contents).map(([n]) => n))
    expect(got.map(([, a]) => a)).toEqual(byVisit(d.contents).map(([, a]) => a))
    expect(got.filter(([, a]) => a).length).toBe(9)
  })
})

describe('printing without the tag walk', () => {
  const cases: [string, string][] = [
    ['no directives', 'a: 1\n'],
    ['a document start', '---\na: !!str 1\n'],
    ['%YAML', '%YAML 1.1\n---\na: 1\n'],
    ['an unused %TAG handle', '%TAG !e! tag:example.com,2000:\n---\na: 1\n'],
    ['a used %TAG handle', '%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n'],
    ['a %TAG redefining !!', '%TAG !! tag:example.com,2000:\n---\na: !!x 1\n'],
    ['a local tag', '--- !shape\na: !circle 1\n'],
  ]
  const OPTIONS = { schema: 'failsafe', uniqueKeys: false, strict: true } as const
  it.each(cases)('prints %s as yaml prints it, before and after an edit', (_, text) => {
    const want = parseAllDocuments(text, OPTIONS)
    const file = new YamlFile(text)
    file.docs.forEach((d, i) => expect(d.print()).toBe(want[i].toString({ lineWidth: 0, indentSeq: true, flowCollectionPadding: true })))
    file.docs[0].set(['b'], 'x')
    const edited = want[0]
    edited.set('b', 'x')
    expect(file.docs[0].print()).toBe(edited.toString({ lineWidth: 0, indentSeq: true, flowCollectionPadding: true }))
  })

  it('prints every document of the project and the corpus as yaml does', () => {
    let n = 0
    for (const file of everyYamlFile()) {
      const text = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n')
      if (text.startsWith('\uFEFF')) continue
      const parsed = new YamlFile(text)
      const want = parseAllDocuments(text, OPTIONS)
      parsed.docs.forEach((d, i) => {
        if (want[i].errors.length || d.frozen) return
        const style = d.style
        expect(d.print(), file).toBe(want[i].toString({ lineWidth: 0, indentSeq: style.indentSeq, flowCollectionPadding: style.flowPadding }))
        n++
      })
    }
    expect(n).toBeGreaterThan(500)
  })
})
