/**
 * Schema validation reads a document after Flux's substitution. `YamlDoc.typedValueAfter` reads it off the tree
 * when the substitution only re-spells one-line scalars; it must read exactly what parsing the substituted text reads.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { everyYamlFile } from './helpers.ts'
import { substitute } from '../src/check/envsubst.ts'
import { REPARSE, YamlFile, substitutedTypedValue, typedValue, type YamlDoc } from '../src/document.ts'

const ROOT = path.resolve(__dirname, '..')


/** Values that keep a scalar what it was, change its type, or break it (each must read as the parse reads it). */
const VALUES = ['app', '5Gi', '1000', '0775', 'yes', 'on', '1.5', '12:30', '', ' x', 'x ', 'a b', 'a: b', 'a #b', '#c', '-x', '"q"', "'s'", 'back\\slash', '[a]', '{a}', 'a,b', '${NESTED}', 'multi\nline', 'x:', '~', 'null', '2001-12-14', '.inf']

const sub = (vars: Record<string, string>) => (t: string) => substitute(t, vars)

/** Every variable name a text uses. */
const namesIn = (text: string) => [...new Set([...text.matchAll(/\$\{([_a-zA-Z][_a-zA-Z0-9]*)/g)].map((m) => m[1]))]

function check(d: YamlDoc, vars: Record<string, string>, where: string): 'tree' | 'parse' {
  const f = sub(vars)
  const out = f(d.render())
  const tree = substitutedTypedValue(d, f, out)
  expect(d.typedValueAfter(f), where).toStrictEqual(typedValue(out))
  if (tree === REPARSE) return 'parse'
  expect(tree, `${where} ${JSON.stringify(vars)}`).toStrictEqual(typedValue(out))
  return 'tree'
}

const docOf = (text: string) => new YamlFile(text).docs[0]

describe('YamlDoc.typedValueAfter', () => {
  it('reads substituted plain scalars with the type their new text has', () => {
    const d = docOf('spec:\n  capacity: ${CAP:=5Gi}\n  uid: ${UID:-1000}\n  name: "${APP}-data"\n  mode: \'${MODE}\'\n  keep: ${UNSET}\n')
    expect(d.typedValueAfter(sub({ APP: 'web', MODE: '0775', CAP: '1Gi' }))).toEqual({ spec: { capacity: '1Gi', uid: 1000, name: 'web-data', mode: '0775', keep: '${UNSET}' } })
    expect(substitutedTypedValue(d, sub({ APP: 'web' }), sub({ APP: 'web' })(d.render()))).not.toBe(REPARSE)
  })

  it('reads off the tree past a `$` that substitution leaves alone (a schema comment, a bare `$VAR`)', () => {
    const d = docOf('# yaml-language-server: $schema=https://example.com/s.json\na: ${X}\nb: $HOME\n')
    const f = sub({ X: '8080' })
    expect(substitutedTypedValue(d, f, f(d.render()))).toEqual({ a: 8080, b: '$HOME' })
  })

  it('parses the text when a substitution reaches beyond one-line scalars', () => {
    for (const [text, vars] of [
      ['a: ${X}\n', { X: 'b: c' }],
      ['a: ${X}\n', { X: 'b #c' }],
      // Not a plain scalar in a flow sequence: `{` is a flow indicator there, so the document has errors.
      ['a: [${X}]\n', { X: 'b, c' }],
      ['a: "${X}"\n', { X: 'say "hi"' }],
      ['a: ${X} # ${Y}\n', { X: 'b', Y: 'c' }],
      ['a: |\n  ${X}\n', { X: 'b' }],
      // A `${` closed in a later scalar: substituting each scalar alone would not make the text Flux makes.
      ['a: ${X:-b\nc: d}\n', { Y: 'e' }],
      ['${K}: v\n', { K: 'a: b' }],
      ['a: ${X}\nb: ${X}\n', { X: '&anchor' }],
      ['${K}: v\n', { K: 'k'.repeat(1100) }],
      ['${K}: v\n', { K: '...' }],
      ['${K}\n', { K: '--- x' }],
    ] as const) {
      const d = docOf(text)
      const f = sub(vars)
      expect(substitutedTypedValue(d, f, f(d.render())), text).toBe(REPARSE)
      expect(d.typedValueAfter(f), text).toStrictEqual(typedValue(f(d.render())))
    }
  })

  it('parses the text of an edited document', () => {
    const d = docOf('a: ${X}\n')
    d.set(['b'], 'c')
    const f = sub({ X: 'z' })
    expect(substitutedTypedValue(d, f, f(d.render()))).toBe(REPARSE)
    expect(d.typedValueAfter(f)).toEqual({ a: 'z', b: 'c' })
  })

  it('reads what parsing the substituted text reads, for every document of the project and the corpus and many values', () => {
    const files = everyYamlFile()
    const ways = { tree: 0, parse: 0 }
    let k = 0
    for (const file of files) {
      for (const d of new YamlFile(fs.readFileSync(file, 'utf8')).docs) {
        const names = namesIn(d.render())
        if (names.length === 0 || d.frozen) continue
        // Each variable set gives every name a value, rotating through the list so that every value meets every shape.
        for (let round = 0; round < 4; round++) {
          const vars = Object.fromEntries(names.map((n) => [n, VALUES[k++ % VALUES.length]]))
          ways[check(d, vars, path.relative(ROOT, file))]++
        }
        ways[check(d, Object.fromEntries(names.map((n) => [n, 'plain-value'])), path.relative(ROOT, file))]++
      }
    }
    expect(ways.tree).toBeGreaterThan(500)
    expect(ways.parse).toBeGreaterThan(100)
  })
})
