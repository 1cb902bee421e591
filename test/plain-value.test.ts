/**
 * `plainValueOfTree` makes what yaml's `toJS` makes of a failsafe tree (`YamlDoc.get`, and the check that a merged
 * text means what the edited tree means, read values through it). It must make exactly that, or step aside.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { everyYamlFile } from './helpers.ts'
import { Pair, Scalar, YAMLMap, YAMLSeq, isAlias, isNode, isPair, visit, type Document } from 'yaml'
import { REPARSE, YamlFile, plainValueOfTree } from '../src/document.ts'

const ROOT = path.resolve(__dirname, '..')


/** Own keys in order, with each property's descriptor flags and value, all the way down. */
function shape(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return { array: v.map(shape) }
  return {
    proto: Object.getPrototypeOf(v) === Object.prototype,
    props: Reflect.ownKeys(v).map((k) => {
      const d = Object.getOwnPropertyDescriptor(v, k)!
      return [String(k), d.writable, d.enumerable, d.configurable, shape(d.value)]
    }),
  }
}

/** Every node of the document (collections, scalars, the contents), compared with `toJS`; returns how many the walk made. */
function compareAll(doc: Document, where: string): number {
  let made = 0
  const check = (n: unknown) => {
    if (!isNode(n)) return
    const ours = plainValueOfTree(n)
    if (ours === REPARSE) return
    made++
    expect(shape(ours), where).toEqual(shape(n.toJS(doc, { maxAliasCount: 1000 })))
  }
  visit(doc, {
    Node: (_, n) => check(n),
    Pair: (_, p) => {
      if (isPair(p) && isNode(p.key)) check(p.key)
    },
  })
  return made
}

const docOf = (text: string) => new YamlFile(text).docs[0].doc as Document

describe('plainValueOfTree', () => {
  it('makes objects, arrays and strings as toJS does, empty values and keys included', () => {
    const d = docOf('a:\n  b: "1"\n  c: [d, e]\n"": x\n? \n: y\nf:\ng: !!str 2\n')
    expect(plainValueOfTree(d.contents)).toEqual({ a: { b: '1', c: ['d', 'e'] }, '': 'y', f: '', g: '2' })
    expect(compareAll(d, 'inline')).toBeGreaterThan(5)
  })

  it('makes what toJS makes of nodes a program built: null keys, null values, numbers and booleans', () => {
    const d = docOf('a: b\n')
    const map = new YAMLMap()
    map.items.push(new Pair(null, new Scalar('no key')), new Pair(new Scalar(null), new Scalar(null)), new Pair(new Scalar(1), new Scalar(true)), new Pair(new Scalar(BigInt(7)), new Scalar(BigInt(8))))
    const seq = new YAMLSeq()
    seq.items.push(map, null, new Scalar(2.5))
    expect(plainValueOfTree(seq)).toEqual([{ '': null, '1': true, '7': BigInt(8) }, null, 2.5])
    expect(shape(plainValueOfTree(seq))).toEqual(shape(seq.toJS(d, { maxAliasCount: 1000 })))
  })

  it('sets keys an object already has as own properties, as toJS does', () => {
    const d = docOf('__proto__: {polluted: yes}\nconstructor: c\ntoString: t\nhasOwnProperty: h\n')
    const v = plainValueOfTree(d.contents) as Record<string, unknown>
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype)
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    compareAll(d, '__proto__')
  })

  it('keeps the last of duplicate keys where toJS does', () => {
    // Duplicate keys are reported by the file; their value must still be what yaml makes of them.
    const d = docOf('a: 1\nb: 2\na: 3\n')
    expect(plainValueOfTree(d.contents)).toEqual({ a: '3', b: '2' })
    compareAll(d, 'duplicates')
  })

  it('reads an alias of a scalar as the value of the last node before it with its anchor, as toJS does', () => {
    for (const text of ['a: &x 1\nb: *x\nc: [*x, {d: *x}]\n', 'a: &x 1\nb: *x\nc: &x 2\nd: *x\n', 'a: &x\nb: *x\n']) {
      const [d] = new YamlFile(text).docs
      expect(shape(d.value()), text).toEqual(shape((d.doc as Document).toJS({ maxAliasCount: 1000 })))
    }
    const [d] = new YamlFile('a: &x 1\nb: *x\nc: &x 2\nd: [*x, *x]\n').docs
    expect(d.value()).toEqual({ a: '1', b: '1', c: '2', d: ['2', '2'] })
    expect(d.get(['d'])).toEqual(['2', '2'])
    // Without a way to resolve aliases, the walk steps aside.
    expect(plainValueOfTree((d.doc as Document).contents)).toBe(REPARSE)
  })

  it('reads an alias of a collection as the very object made of its anchor, as toJS does', () => {
    const [d] = new YamlFile('a: &x {b: c, d: [e]}\nf: *x\ng: [*x]\nh: &y [1]\ni: *y\n').docs
    const v = d.value() as Record<string, unknown>
    expect(v.f).toBe(v.a)
    expect((v.g as unknown[])[0]).toBe(v.a)
    expect(v.i).toBe(v.h)
    expect(shape(v)).toEqual(shape((d.doc as Document).toJS({ maxAliasCount: 1000 })))
    // Read from a node below the anchor's, the alias still finds it.
    const f = d.get(['g']) as unknown[]
    expect(f[0]).toEqual({ b: 'c', d: ['e'] })
  })

  it('steps aside for an alias inside its own anchor, and for aliases of collections holding aliases that are nested or used often', () => {
    // The resolver yaml uses: the last node with the anchor before the alias, in document order.
    const resolverOf = (doc: Document) => {
      const nodes: unknown[] = []
      visit(doc, { Node: (_, n) => void ((isAlias(n) || (n as { anchor?: string }).anchor) && nodes.push(n)) })
      return (a: { source: string }) => {
        let found: unknown
        for (const n of nodes) {
          if (n === a) break
          if (!isAlias(n) && (n as { anchor?: string }).anchor === a.source) found = n
        }
        return found
      }
    }
    const busy = `a: &s 1\nb: &x [*s, {t: *s}]\nc: [${Array.from({ length: 30 }, () => '*x').join(', ')}]\n`
    for (const text of ['a: &x [*x]\n', 'a: &s 1\nb: &x [*s]\nc: &y [*x]\nd: *y\n', busy]) {
      const doc = docOf(text)
      expect(plainValueOfTree(doc.contents, { resolve: resolverOf(doc) }), text).toBe(REPARSE)
    }
    // One level of aliases inside an aliased collection, used a few times, is read by the walk.
    const few = 'a: &s 1\nb: &x [*s, {t: *s}]\nc: *x\nd: [*x, *x]\n'
    const doc = docOf(few)
    const v = plainValueOfTree(doc.contents, { resolve: resolverOf(doc) }) as Record<string, unknown>
    expect(v).toEqual({ a: '1', b: ['1', { t: '1' }], c: ['1', { t: '1' }], d: [['1', { t: '1' }], ['1', { t: '1' }]] })
    expect(v.c).toBe(v.b)
    for (const text of [few, busy, 'a: &s 1\nb: &x [*s]\nc: &y [*x]\nd: *y\n']) {
      const [d] = new YamlFile(text).docs
      expect(shape(d.value()), text).toEqual(shape((d.doc as Document).toJS({ maxAliasCount: 1000 })))
    }
  })

  it('never reads by itself a document toJS refuses for its alias count', () => {
    let read = 0
    for (const inner of [0, 1, 5, 10, 20, 31, 40])
      for (const uses of [0, 1, 5, 10, 29, 30, 31, 40, 999]) {
        const list = (n: number, what: string) => `[${Array.from({ length: n }, () => what).join(', ')}]`
        const text = `s: &s 1\nx: &x ${list(inner, '*s')}\ny: ${list(uses, '*x')}\nz: ${list(uses, '*s')}\n`
        const [d] = new YamlFile(text).docs
        const doc = d.doc as Document
        let theirs: unknown
        try {
          theirs = doc.toJS({ maxAliasCount: 1000 })
        } catch (e) {
          theirs = e
        }
        const nodes: unknown[] = []
        visit(doc, { Node: (_, n) => void ((isAlias(n) || (n as { anchor?: string }).anchor) && nodes.push(n)) })
        const resolve = (a: { source: string }) => nodes.filter((n, i) => i < nodes.indexOf(a) && !isAlias(n) && (n as { anchor?: string }).anchor === a.source).at(-1)
        const ours = plainValueOfTree(doc.contents, { resolve })
        if (ours === REPARSE) continue
        read++
        expect(theirs, text.slice(0, 60)).not.toBeInstanceOf(Error)
        expect(shape(ours)).toEqual(shape(theirs))
      }
    expect(read).toBeGreaterThan(10)
  })

  it('reads `<<` as a key where the schema has no merge keys (failsafe), and steps aside where it may', () => {
    const [d] = new YamlFile('a: &x {b: c}\nd:\n  <<: *x\n  e: f\n').docs
    expect(d.value()).toEqual({ a: { b: 'c' }, d: { '<<': { b: 'c' }, e: 'f' } })
    expect(shape(d.value())).toEqual(shape((d.doc as Document).toJS({ maxAliasCount: 1000 })))
    expect(plainValueOfTree(docOf('<<: {a: b}\n').contents, { merge: true })).toBe(REPARSE)
  })

  it('leaves an anchor used too often to toJS, which refuses it', () => {
    const text = `a: &x 1\nb: [${Array.from({ length: 1001 }, () => '*x').join(', ')}]\n`
    const [d] = new YamlFile(text).docs
    expect(() => (d.doc as Document).toJS({ maxAliasCount: 1000 })).toThrow(/Excessive alias count/)
    expect(() => d.value()).toThrow(/Excessive alias count/)
    const [ok] = new YamlFile(`a: &x 1\nb: [${Array.from({ length: 998 }, () => '*x').join(', ')}]\n`).docs
    expect((ok.value() as { b: string[] }).b).toHaveLength(998)
  })

  it('steps aside for aliases (of collections, or with no way to resolve them), merge keys and keys that are collections', () => {
    for (const text of ['a: &x {b: c}\nd: *x\n', 'a: &x 1\nb: *x\n', 'a: &x {b: c}\nd:\n  <<: *x\n', '? [a, b]\n: c\n', '<<: {a: b}\n']) {
      const d = docOf(text)
      expect(plainValueOfTree(d.contents), text).toBe(REPARSE)
      compareAll(d, text)
    }
  })

  it('steps aside for keys holding objects, pairs in sequences and nodes of other classes', () => {
    const d = docOf('a: b\n')
    const pair = (d.contents as unknown as { items: { key: { value: unknown }; value: { value: unknown } }[] }).items[0]
    // A scalar's value is kept as it is, an object too (toJS keeps it).
    const date = new Date(0)
    pair.value.value = date
    expect((plainValueOfTree(d.contents) as { a: unknown }).a).toBe(date)
    pair.key.value = date
    expect(plainValueOfTree(d.contents)).toBe(REPARSE)
    // A flow `[a: b]` parses to a map in the sequence; a pair gets there only when a program puts it there.
    const seq = new YAMLSeq()
    seq.items.push(new Pair(new Scalar('a'), new Scalar('b')))
    expect(plainValueOfTree(seq)).toBe(REPARSE)
    class Ordered extends YAMLMap {}
    expect(plainValueOfTree(new Ordered())).toBe(REPARSE)
  })

  it('makes what toJS makes of every node of every document of the project and the corpus', () => {
    const files = everyYamlFile()
    let made = 0
    let skipped = 0
    for (const f of files) {
      const y = new YamlFile(fs.readFileSync(f, 'utf8'))
      for (const d of y.docs) {
        if (d.frozen) continue
        const doc = d.doc as Document
        if (plainValueOfTree(doc.contents) === REPARSE) skipped++
        made += compareAll(doc, path.relative(ROOT, f))
        // The document's own walk resolves aliases of scalars.
        expect(shape(d.value()), path.relative(ROOT, f)).toEqual(shape(doc.toJS({ maxAliasCount: 1000 })))
      }
    }
    expect(files.length).toBeGreaterThan(200)
    expect(made).toBeGreaterThan(10000)
    expect(skipped).toBeGreaterThan(0)
  })
})
