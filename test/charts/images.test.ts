import { describe, expect, it } from 'vitest'
import { planImageOverrides, type ImageInUse } from '../../src/charts/images.ts'

const D1 = `sha256:${'a'.repeat(64)}`
const D2 = `sha256:${'b'.repeat(64)}`
const inUse: ImageInUse[] = [
  { repository: 'ghcr.io/home-operations/sabnzbd', tag: '4.3.0', path: ['spec', 'values', 'controllers', 'app', 'containers', 'app', 'image'] },
  { repository: 'ghcr.io/onedr0p/exportarr', tag: 'v2.0.0', path: ['spec', 'values', 'controllers', 'app', 'containers', 'exporter', 'image'] },
]
const rules = (fs: readonly { severity: string; rule: string }[]) => fs.map((f) => `${f.severity}:${f.rule}`)

describe('planImageOverrides', () => {
  it('folds newTag into the matching image and warns that it is not pinned', () => {
    const r = planImageOverrides([{ name: 'ghcr.io/onedr0p/exportarr', newTag: 'v2.2.0' }], inUse.slice(1))
    expect(r.folds).toEqual([{ path: inUse[1].path, repository: 'ghcr.io/onedr0p/exportarr', tag: 'v2.2.0', entries: [0] }])
    expect(rules(r.findings)).toEqual(['warning:image-not-pinned'])
    expect(r.findings[0].path).toEqual(inUse[1].path)
  })

  it('folds a digest as <tag>@sha256:<digest>, replacing an older digest', () => {
    const r = planImageOverrides(
      [
        { name: 'ghcr.io/home-operations/sabnzbd', newTag: '4.4.1', digest: D1 },
        { name: 'ghcr.io/onedr0p/exportarr', digest: D2 },
      ],
      [inUse[0], { ...inUse[1], tag: `v2.0.0@${D1}` }],
    )
    expect(r.folds.map((f) => f.tag)).toEqual([`4.4.1@${D1}`, `v2.0.0@${D2}`])
    expect(r.findings).toEqual([])
  })

  it('folds newName', () => {
    const r = planImageOverrides([{ name: 'ghcr.io/onedr0p/exportarr', newName: 'ghcr.io/home-operations/exportarr', newTag: `v2.2.0@${D1}` }], inUse)
    expect(r.folds).toEqual([{ path: inUse[1].path, repository: 'ghcr.io/home-operations/exportarr', tag: `v2.2.0@${D1}`, entries: [0] }])
  })

  it('reports a misspelled entry that kustomize never applied, with a guess, and does not fold it', () => {
    const r = planImageOverrides([{ name: 'ghcr.io/home-oeprations/sabnzbd', newTag: '4.4.1' }], inUse)
    expect(r.folds).toEqual([])
    const f = r.findings.find((x) => x.rule === 'image-override-unmatched')!
    expect(f).toMatchObject({ severity: 'warning', path: ['images', 0], loss: true })
    expect(f.hint).toBe('did you mean ghcr.io/home-operations/sabnzbd? if the override (newTag: 4.4.1) was intended, set it in the values by hand')
    expect(rules(r.findings).filter((x) => x === 'warning:image-not-pinned')).toHaveLength(2)
  })

  it('applies entries in order, as kustomize does, and flags a repeated name', () => {
    const r = planImageOverrides(
      [
        { name: 'ghcr.io/onedr0p/exportarr', newTag: 'v2.1.0' },
        { name: 'ghcr.io/onedr0p/exportarr', newTag: 'v2.2.0', digest: D1 },
      ],
      inUse.slice(1),
    )
    expect(r.folds).toEqual([{ path: inUse[1].path, repository: 'ghcr.io/onedr0p/exportarr', tag: `v2.2.0@${D1}`, entries: [0, 1] }])
    expect(rules(r.findings)).toEqual(['warning:image-override-duplicate'])
  })

  it('folds one entry into every image with that repository', () => {
    const twice = [inUse[1], { ...inUse[1], path: ['x'] }]
    expect(planImageOverrides([{ name: 'ghcr.io/onedr0p/exportarr', newTag: `v2.2.0@${D1}` }], twice).folds).toHaveLength(2)
  })

  it('reports entries it cannot fold, each as a loss', () => {
    const r = planImageOverrides(
      [{ newTag: '1' }, { name: 'ghcr.io/onedr0p/exportarr', digest: 'sha256:short' }, { name: 'ghcr.io/onedr0p/exportarr' }, { name: 'ghcr.io/onedr0p/exportarr', newTag: 2 }, { name: 'ghcr.io/home-operations/sabnzbd', newTag: `4.4.1@${D1}`, tagSuffix: '-ls' }],
      inUse,
    )
    expect(r.findings.filter((f) => f.rule !== 'image-not-pinned').map((f) => [f.severity, f.rule, f.path, f.loss])).toEqual([
      ['error', 'image-override-invalid', ['images', 0], true],
      ['error', 'image-override-invalid', ['images', 1, 'digest'], true],
      ['info', 'image-override-noop', ['images', 2], true],
      ['error', 'image-override-invalid', ['images', 3, 'newTag'], true],
      ['warning', 'image-override-field-dropped', ['images', 4, 'tagSuffix'], true],
    ])
    expect(r.folds.map((f) => f.tag)).toEqual([`4.4.1@${D1}`])
  })

  it('does not fold a digest onto an image with no tag', () => {
    const r = planImageOverrides([{ name: 'nginx', digest: D1 }], [{ repository: 'nginx', path: ['image'] }])
    expect(r.folds).toEqual([])
    expect(rules(r.findings)).toEqual(['warning:image-digest-without-tag', 'warning:image-not-pinned'])
  })

  it('rejects an images: value that is not a list, and accepts none', () => {
    expect(rules(planImageOverrides({ name: 'x' }, []).findings)).toEqual(['error:image-override-invalid'])
    expect(planImageOverrides(undefined, [])).toEqual({ folds: [], findings: [] })
  })
})
