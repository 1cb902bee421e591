/**
 * Schema validation reads documents as Kubernetes does (YAML 1.1 types). An unedited document's value is read off
 * its parsed tree; it must be exactly what parsing its text as YAML 1.1 gives.
 */
import fc from 'fast-check'
import * as fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { everyYamlFile } from './helpers.ts'
import { REPARSE, YamlFile, typedValue, typedValueOfTree } from '../src/document.ts'

/** Compares every document of `text` both ways; returns how many were read off the tree. */
function compare(text: string, where: string): number {
  let fromTree = 0
  for (const d of new YamlFile(text).docs) {
    if (d.frozen === undefined && typedValueOfTree(d.doc.contents) !== REPARSE) fromTree++
    expect(d.typedValue(), where).toEqual(typedValue(d.render()))
  }
  return fromTree
}

describe('typed value of a parsed document', () => {
  it('reads YAML 1.1 scalars off the tree as the parser types them', () => {
    const text = [
      'octal: 0775',
      'hex: 0x1F',
      'sexagesimal: 1:20',
      'sexafloat: 12:30:45.5',
      'yesval: yes',
      'offval: off',
      'Yval: Y',
      'tilde: ~',
      'dot: .',
      'empty:',
      'zeros: 007',
      'quoted: "0775"',
      'single: \'yes\'',
      'date: 2001-12-14',
      'inf: .inf',
      'nan: .NaN',
      'underscores: 1_000',
      'binary: 0b101',
      'exp: 1e3',
      'float: -.5',
      'digest: sha256:0123abcd',
      'block: |',
      '  0775',
      'folded: >-',
      '  yes',
      'list: [on, "on", 08, 0o17, null, Null]',
      '',
    ].join('\n')
    const doc = new YamlFile(text).docs[0]
    const fromTree = typedValueOfTree(doc.doc.contents) as Record<string, unknown>
    expect(fromTree).not.toBe(REPARSE)
    // Keys that YAML 1.1 reads as booleans are not strings: such a document is parsed after all.
    expect(typedValueOfTree(new YamlFile('yes: 1\n').docs[0].doc.contents)).toBe(REPARSE)
    expect(fromTree).toEqual(typedValue(text))
    expect(fromTree).toMatchObject({ octal: 509, hex: 31, sexagesimal: 80, yesval: true, offval: false, Yval: true, tilde: null, dot: NaN, empty: null, zeros: 7, quoted: '0775', single: 'yes', inf: Infinity, underscores: 1000, binary: 5, exp: 1000, float: -0.5, digest: 'sha256:0123abcd', block: '0775\n', folded: 'yes', list: [true, 'on', 8, '0o17', null, null] })
    expect(fromTree.date).toEqual(new Date(Date.UTC(2001, 11, 14)))
  })

  it('reads aliases as the values of their anchors', () => {
    for (const text of ['name: &app echo\nspec:\n  app: *app\n  list: [*app]\n', 'a: &x {p: 0775}\nb: *x\nc: &x [yes]\nd: *x\n', 'a: &n ~\nb: *n\n']) {
      const doc = new YamlFile(text).docs[0]
      expect(typedValueOfTree(doc.doc.contents), text).not.toBe(REPARSE)
      expect(doc.typedValue(), text).toEqual(typedValue(text))
    }
  })

  it('leaves tags, merge keys and duplicate keys to the full parse, with the same result', () => {
    for (const text of ['a: !!str 5\n', 'base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n', 's: !!set {a, b}\n', 'a: 1\n"a": 2\n', '? [a]\n: 1\n']) {
      const doc = new YamlFile(text).docs[0]
      expect(typedValueOfTree(doc.doc.contents), text).toBe(REPARSE)
      expect(doc.typedValue(), text).toEqual(typedValue(text))
    }
  })

  it('reads an edited document from its print', () => {
    const f = new YamlFile('a: 0775\n')
    f.docs[0].set(['b'], 'yes')
    expect(f.docs[0].typedValue()).toEqual({ a: 509, b: 'yes' })
  })

  it('agrees with the YAML 1.1 parse on generated documents', () => {
    const scalars = ['0775', '0x1F', '1:20', 'yes', 'No', 'on', 'OFF', '~', '.', '', '007', '08', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '.inf', '-.Inf', '.nan', '1_000', '0b101', '1e3', '-.5', '+12', 'sha256:ab', 'true', 'null', 'y', 'n', '1.0', '0.', 'abc', '3.2.1', '<<']
    const styles = [(s: string) => s, (s: string) => JSON.stringify(s), (s: string) => `'${s.replace(/'/g, "''")}'`]
    const item = fc.tuple(fc.constantFrom(...scalars), fc.nat(styles.length - 1))
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...scalars.filter((s) => s !== '')), item, fc.boolean()), { minLength: 1, maxLength: 8 }), (pairs) => {
        const lines = pairs.map(([k, [v, st], inList], i) => `k${i}${k.replace(/[^a-z0-9]/gi, '')}: ${inList ? `[${styles[st](v) || '""'}]` : styles[st](v)}`)
        const text = lines.join('\n') + '\n'
        compare(text, text)
      }),
      { numRuns: 300, seed: 20261126 },
    )
  })

  it('agrees with the YAML 1.1 parse on every document of the project and the corpus', () => {
    const files = everyYamlFile()
    let docs = 0
    for (const f of files) docs += compare(fs.readFileSync(f, 'utf8'), f)
    // Most documents are read off the tree (the check is not vacuous).
    expect(docs).toBeGreaterThan(files.length / 2)
  })
})
