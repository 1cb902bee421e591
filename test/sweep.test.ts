/**
 * Hostile-input sweeps (`src/dev/sweep.ts`, `npm run sweep`) over the project's own apps, small enough for every run:
 * - every value of two golden apps replaced in turn by a string, an empty map, an empty list or a null, and repeated
 *   through an alias: no transform crashes, nothing throws but a `MigrationError`, every error has a file;
 * - examples/home-ops and five golden inputs in five other YAML styles: the same files (by meaning), outcome and
 *   warnings and errors. A transform that read a shape by its spelling (block only, plain scalars only) would differ.
 * And the tool itself: it finds a planted crash once, with the file and the variant that shows it.
 */
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { restyle, sweep, variants, type Mode } from '../src/dev/sweep.ts'
import { defineTransform } from '../src/transform-api.ts'
import { builtinTransforms } from '../transforms/index.ts'
import { readTree } from './helpers.ts'

const tree = (dir: string) => readTree(path.resolve(__dirname, '..', dir))

describe('sweeps over the project apps', { timeout: 120_000 }, () => {
  it.each([
    ['golden/ks-layout--basic/input', 'shapes', false],
    ['golden/raw-to-app-template--basic/input', 'shapes', true],
    ['golden/ks-layout--basic/input', 'aliases', false],
    ['golden/raw-to-app-template--basic/input', 'aliases', true],
  ] as const)('%s, %s (--to-app-template: %s): no crash', async (dir, mode, toAppTemplate) => {
    const r = await sweep(tree(dir), { modes: [mode], toAppTemplate })
    expect(r.problems.map((p) => `${p.file} (${p.variant}): ${p.message}`)).toEqual([])
    expect(r.runs).toBeGreaterThan(50)
    // Some variants are harmless and some are refused: both sides are reached.
    expect(r.outcomes.migrated).toBeGreaterThan(0)
    expect(r.outcomes.refused).toBeGreaterThan(0)
  })

  it.each([
    ['examples/home-ops', false],
    ['golden/ks-layout--multi-ks/input', false],
    ['golden/helm-oci--multi-release/input', false],
    ['golden/ingress-route--app-template-3x/input', false],
    ['golden/sops-external-secret--opaque/input', false],
    ['golden/raw-to-app-template--routes/input', true],
  ] as const)('%s in other YAML styles migrates to the same meaning', async (dir, toAppTemplate) => {
    const r = await sweep(tree(dir), { modes: ['styles'], toAppTemplate })
    expect(r.problems.map((p) => `${p.file} (${p.variant}): ${p.message}`)).toEqual([])
    expect(r.runs).toBeGreaterThan(5)
  })
})

describe('the sweep tool', () => {
  it('makes the variants each mode says', () => {
    const text = 'a: 1\nb:\n  - x\n  - {c: d}\n'
    const count = (mode: Mode) => [...variants(text, mode)].length
    expect(count('cut')).toBe(text.length)
    expect(count('lines')).toBe(5)
    // Values: a, b, b[0], b[1], b[1].c; four shapes each.
    expect(count('shapes')).toBe(20)
    expect([...variants(text, 'aliases')].map((v) => v.text)[2]).toBe('a: 1\nb:\n  - &swept x\n  - { c: d }\nsweptCopy: *swept\n')
    expect(restyle(text, 'flow maps and lists')).toBe('a: 1\nb:\n  - x\n  - { c: d }\n')
    expect(restyle('port: ${PORT}\nname: web\n', 'double-quoted strings')).toBe('port: ${PORT}\nname: "web"\n')
  })

  it('reports a planted crash once, with the file and the variant that shows it', async () => {
    const fragile = defineTransform({
      id: 'fragile',
      description: 'reads the release interval as a string',
      apply(ctx) {
        for (const r of ctx.resources({ kind: 'HelmRelease' })) if (r.doc.typeAt(['spec', 'interval']) === 'map') throw new Error('interval is a map')
      },
    })
    const r = await sweep(tree('golden/ks-layout--basic/input'), { modes: ['shapes'], transforms: [fragile, ...builtinTransforms] })
    expect(r.problems.map((p) => [p.file, p.variant, p.message])).toEqual([['cluster-cd/apps/bitty/default/webapp/app/helmrelease.yaml', 'value 6 made an empty map', 'fragile/crashed transform failed and was undone: interval is a map']])
    expect(r.problems[0].text).toContain('  interval: {}\n')
  })
})
