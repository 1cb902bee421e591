/**
 * Copies of parsed documents (a file copied into the Chongus folder, the input side of a file) are made by
 * `cloneDocument`, a faster equivalent of yaml's own `clone`. It must copy exactly what yaml's copies, node for node.
 */
import * as fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { everyYamlFile } from './helpers.ts'
import { isNode, isPair } from 'yaml'
import { YamlFile, cloneDocument } from '../src/document.ts'

type Any = Record<PropertyKey, unknown>
const enumerable = (o: unknown, k: PropertyKey) => Object.prototype.propertyIsEnumerable.call(o, k)

/**
 * Walks the two copies side by side and lists every difference: class, own properties (and their enumerability),
 * plain values; a node, or a range, shared with the original is a difference too. Returns the nodes compared.
 */
function compare(ours: unknown, theirs: unknown, original: unknown, where: string, diffs: string[]): number {
  if (!(isNode(theirs) || isPair(theirs))) {
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) diffs.push(`${where}: ${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`)
    return 0
  }
  if (Object.getPrototypeOf(ours) !== Object.getPrototypeOf(theirs)) diffs.push(`${where}: class`)
  if (ours === original) diffs.push(`${where}: shared with the original`)
  const o = ours as unknown as Any
  const t = theirs as unknown as Any
  const keys = Reflect.ownKeys(t)
  if (Reflect.ownKeys(o).map(String).sort().join() !== keys.map(String).sort().join()) diffs.push(`${where}: keys ${Reflect.ownKeys(o).map(String)} vs ${keys.map(String)}`)
  let nodes = 1
  for (const k of keys) {
    const at = `${where}.${String(k)}`
    if (enumerable(o, k) !== enumerable(t, k)) diffs.push(`${at}: enumerability`)
    if (k === 'items') {
      const oi = o.items as unknown[]
      const ti = t.items as unknown[]
      if (oi.length !== ti.length) diffs.push(`${at}: length`)
      ti.forEach((item, i) => (nodes += compare(oi[i], item, ((original as Any).items as unknown[])[i], `${at}.${i}`, diffs)))
    } else if (k === 'key' || k === 'value') nodes += compare(o[k], t[k], (original as Any)[k], at, diffs)
    else if (k === 'range') {
      if (JSON.stringify(o.range) !== JSON.stringify(t.range)) diffs.push(`${at}: differs`)
      if (t.range && o.range === (original as Any).range) diffs.push(`${at}: shared with the original`)
    } else if (k === 'schema') {
      if ((o.schema === undefined) !== (t.schema === undefined)) diffs.push(`${at}: differs`)
    } else {
      const od = Object.getOwnPropertyDescriptor(o, k)!
      const td = Object.getOwnPropertyDescriptor(t, k)!
      if (od.get !== td.get || od.set !== td.set) diffs.push(`${at}: accessor`)
      else if (!td.set && JSON.stringify(o[k]) !== JSON.stringify(t[k])) diffs.push(`${at}: ${JSON.stringify(o[k])} vs ${JSON.stringify(t[k])}`)
    }
  }
  return nodes
}

describe('cloneDocument', () => {
  it('copies every document of the project and the corpus exactly as yaml does', () => {
    const files = everyYamlFile()
    let nodes = 0
    for (const f of files) {
      for (const d of new YamlFile(fs.readFileSync(f, 'utf8')).docs) {
        const ours = cloneDocument(d.doc)
        const theirs = d.doc.clone()
        if (d.frozen === undefined) expect(ours.toString({ lineWidth: 0 }), f).toBe(theirs.toString({ lineWidth: 0 }))
        expect(ours.errors, f).toEqual(theirs.errors)
        // Collections take the copy's schema, as yaml's clone gives them.
        if (ours.contents && 'schema' in ours.contents) expect((ours.contents as { schema: unknown }).schema).toBe(ours.schema)
        const diffs: string[] = []
        nodes += compare(ours.contents, theirs.contents, d.doc.contents, f, diffs)
        expect(diffs).toEqual([])
      }
    }
    expect(nodes).toBeGreaterThan(50000)
  })

  it('gives a copy that edits do not share with its original', () => {
    const f = new YamlFile('a: &x {b: [1, 2]}\nc: *x\n')
    const range = [...(f.docs[0].doc.contents as { range: number[] }).range]
    const copy = cloneDocument(f.docs[0].doc)
    ;(copy.getIn(['a', 'b']) as { items: unknown[] }).items.pop()
    copy.setIn(['a', 'd'], 'e')
    expect(f.docs[0].doc.toString()).toBe('a: &x { b: [ 1, 2 ] }\nc: *x\n')
    expect(copy.toString()).toBe('a: &x { b: [ 1 ], d: e }\nc: *x\n')
    ;(copy.contents as { range: number[] }).range[1] = 0
    expect((f.docs[0].doc.contents as { range: number[] }).range).toEqual(range)
  })
})
