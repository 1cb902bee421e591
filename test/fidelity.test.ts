/** Property tests: untouched documents keep their bytes, touched ones keep every value's meaning. */
import fc from 'fast-check'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { YamlFile, needsQuotes } from '../src/document.ts'

/** Scalars YAML 1.1 and 1.2 read differently, or printers like to re-spell. */
const TRICKY = ['0775', '012345', '0x1F', '0o17', '1e3', '61e9540', '.5', '+12', '1_000', '12:30:00', 'yes', 'no', 'on', 'off', 'y', 'n', '~', 'null', '.', '.inf', '-.inf', '.nan', 'true', 'False', '2001-12-14', '"0775"', "'yes'", '"sha256:0123abc"', '12345678901234567890', 'v1.2.3@sha256:abc', '""']
const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/)
const plainWord = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9./-]{0,12}$/)
const scalar = fc.oneof(fc.constantFrom(...TRICKY), plainWord)

const block = fc.oneof(
  fc.tuple(key, scalar).map(([k, v]) => `${k}: ${v}`),
  fc.tuple(key, scalar).map(([k, v]) => `${k}: ${v} # note`),
  fc.tuple(key, fc.array(scalar, { minLength: 1, maxLength: 3 })).map(([k, vs]) => `${k}:\n${vs.map((v) => `  - ${v}`).join('\n')}`),
  fc.tuple(key, fc.array(scalar, { minLength: 1, maxLength: 3 })).map(([k, vs]) => `${k}: [${vs.join(', ')}]`),
  fc.tuple(key, fc.array(scalar, { minLength: 1, maxLength: 3 })).map(([k, vs]) => `${k}: { drop: [${vs.join(',')}] }`),
  fc.tuple(key, fc.array(plainWord, { minLength: 1, maxLength: 3 })).map(([k, ls]) => `${k}: |\n${ls.map((l) => `  ${l}`).join('\n')}`),
  fc.tuple(key, scalar).map(([k, v]) => `${k}: &anc ${v}\n${k}2: *anc`),
  fc.tuple(key, scalar).map(([k, v]) => `base: &base\n  ${k}: ${v}\nderived:\n  <<: *base\n  extra: 1`),
)

const doc = fc.uniqueArray(block, { minLength: 1, maxLength: 6, selector: (b) => b.split(':')[0] }).map((bs) => bs.join('\n') + '\n')
const stream = fc.array(doc, { minLength: 1, maxLength: 3 }).map((ds) => '---\n' + ds.join('---\n'))

describe('fidelity', () => {
  it('parse + print of untouched documents is byte-identical', () => {
    fc.assert(
      fc.property(stream, (text) => {
        const f = new YamlFile(text)
        fc.pre(!f.hasErrors)
        expect(f.render()).toBe(text)
        for (const d of f.docs) expect(d.changed).toBe(false)
      }),
      { numRuns: 300, seed: 20261126 },
    )
  })

  it('an edit elsewhere keeps every other value, under YAML 1.1 and 1.2', () => {
    fc.assert(
      fc.property(stream, scalar, (text, value) => {
        const f = new YamlFile(text)
        fc.pre(!f.hasErrors)
        const d = f.docs[0]
        d.set(['added-by-test'], value)
        const out = f.render()
        for (const version of ['1.1', '1.2'] as const) {
          const before = parseAll(text, version)
          const after = parseAll(out, version)
          expect(after.length).toBe(before.length)
          const first = after[0] as Record<string, unknown>
          expect(first['added-by-test']).toBe(value)
          delete first['added-by-test']
          expect(after).toEqual(before)
        }
        // Lines the edit did not touch keep their bytes.
        for (const line of text.split('\n')) expect(out.includes(line)).toBe(true)
      }),
      { numRuns: 300, seed: 20261127 },
    )
  })

  it('a string written through the setters reads back as the same string in YAML 1.1 and 1.2', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...TRICKY.map((t) => t.replace(/^["']|["']$/g, ''))), fc.string({ maxLength: 20 })), (s) => {
        const f = new YamlFile('a: 1\n')
        f.docs[0].set(['v'], s)
        const out = f.render()
        expect(parse(out, { version: '1.2' }).v).toBe(s)
        expect(parse(out, { version: '1.1' }).v).toBe(s)
        if (!needsQuotes(s)) expect(out).toContain(`v: ${s}`)
      }),
      { numRuns: 500, seed: 20261128 },
    )
  })

  it('keeps the comment above a changed key and the comment after it', () => {
    const f = new YamlFile('spec:\n  # how often\n  interval: 30m # legacy\n  prune: true\n')
    f.docs[0].set(['spec', 'interval'], '1h')
    expect(f.render()).toBe('spec:\n  # how often\n  interval: 1h # legacy\n  prune: true\n')
  })
})

function parseAll(text: string, version: '1.1' | '1.2'): unknown[] {
  return text
    .split(/^---\n/m)
    .filter((s) => s.trim() !== '')
    .map((s) => parse(s, { version, merge: true, intAsBigInt: true }))
}
