/** Files and diagnostics are sorted with `collate`: it must order exactly as `localeCompare`, which it replaces. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { collate } from '../src/paths.ts'

describe('collate', () => {
  it('orders paths, case, punctuation and digits as localeCompare does', () => {
    const xs = ['a/B.yaml', 'a/b.yaml', 'a-b/x', 'a.b/x', 'a_b/x', 'A/x', 'a/x10', 'a/x9', 'ä/x', 'z', '', 'ks.yaml', 'kustomization.yaml', 'app/helmrelease.yaml', 'app2/x']
    expect([...xs].sort(collate)).toEqual([...xs].sort((a, b) => a.localeCompare(b)))
  })

  it('agrees in sign with localeCompare on generated strings', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(Math.sign(collate(a, b))).toBe(Math.sign(a.localeCompare(b)))
      }),
      { numRuns: 500, seed: 20261126 },
    )
  })
})
