import { describe, expect, it } from 'vitest'
import { planSchemaComment, RELEASE_DEFAULTS, seedReleaseDefaults } from '../../src/charts/release-defaults.ts'

describe('seedReleaseDefaults', () => {
  it('describes every Chongus release default, with typed values', () => {
    expect(seedReleaseDefaults().add).toEqual([
      { path: ['spec', 'interval'], value: '1h' },
      { path: ['spec', 'install', 'remediation', 'retries'], value: -1 },
      { path: ['spec', 'upgrade', 'cleanupOnFail'], value: true },
      { path: ['spec', 'upgrade', 'remediation', 'retries'], value: 3 },
    ])
    expect(seedReleaseDefaults().add).toEqual(RELEASE_DEFAULTS)
  })

  it('adds only the settings a release lacks, and keeps different values with a note', () => {
    // Values as the failsafe parser gives them: strings.
    const hr = { spec: { interval: '30m', install: { remediation: { retries: '3' } }, upgrade: { cleanupOnFail: 'true', remediation: { strategy: 'rollback' } } } }
    const r = seedReleaseDefaults(hr)
    expect(r.add).toEqual([{ path: ['spec', 'upgrade', 'remediation', 'retries'], value: 3 }])
    expect(r.notes.map((n) => n.message)).toEqual([
      'spec.interval is 30m; Chongus uses 1h (kept)',
      'spec.install.remediation.retries is 3; Chongus uses -1 (kept)',
    ])
  })

  it('adds nothing to a release that already follows Chongus', () => {
    const hr = { spec: { interval: '1h', install: { remediation: { retries: -1 } }, upgrade: { cleanupOnFail: true, remediation: { retries: 3 } } } }
    expect(seedReleaseDefaults(hr)).toEqual({ add: [], notes: [] })
  })

  it('treats an empty block as absent and reports a block that is not a map', () => {
    expect(seedReleaseDefaults({ spec: { install: null, upgrade: 'x', interval: '1h' } })).toEqual({
      add: [{ path: ['spec', 'install', 'remediation', 'retries'], value: -1 }],
      notes: [
        expect.objectContaining({ severity: 'warning', rule: 'release-default-blocked', message: 'cannot add spec.upgrade.cleanupOnFail: spec.upgrade is not a map' }),
        expect.objectContaining({ severity: 'warning', rule: 'release-default-blocked', path: ['spec', 'upgrade'] }),
      ],
    })
  })
})

describe('planSchemaComment', () => {
  const pre = ' yaml-language-server: $schema='
  it('moves the bjw-s app-template schema to bjw-s-labs', () => {
    const r = planSchemaComment(`${pre}https://raw.githubusercontent.com/bjw-s/helm-charts/main/charts/other/app-template/schemas/helmrelease-helm-v2.schema.json`)
    expect(r.comment).toBe(`${pre}https://raw.githubusercontent.com/bjw-s-labs/helm-charts/main/charts/other/app-template/schemas/helmrelease-helm-v2.schema.json`)
    expect(r.changed).toBe(true)
    expect(r.notes.map((n) => n.rule)).toEqual(['schema-comment-updated'])
  })

  it.each(['v2beta1', 'v2beta2'])('moves the kubernetes-schemas helmrelease_%s schema to v2', (v) => {
    const r = planSchemaComment(`${pre}https://kubernetes-schemas.pages.dev/helm.toolkit.fluxcd.io/helmrelease_${v}.json`)
    expect(r.comment).toBe(`${pre}https://kubernetes-schemas.pages.dev/helm.toolkit.fluxcd.io/helmrelease_v2.json`)
  })

  it('leaves current schemas and other comments alone', () => {
    for (const c of [`${pre}https://raw.githubusercontent.com/bjw-s-labs/helm-charts/main/x.json`, `${pre}https://kubernetes-schemas.pages.dev/helm.toolkit.fluxcd.io/helmrelease_v2.json`, ' bjw-s/helm-charts is great']) {
      expect(planSchemaComment(c)).toEqual({ comment: c, changed: false, notes: [] })
    }
  })

  it('suggests the v2 schema for a v2beta schema on a host it does not rewrite', () => {
    const c = `${pre}https://raw.githubusercontent.com/fluxcd-community/flux2-schemas/main/helmrelease-helm-v2beta2.json`
    const r = planSchemaComment(c)
    expect(r.changed).toBe(false)
    expect(r.notes).toEqual([expect.objectContaining({ severity: 'info', rule: 'schema-comment-stale', hint: expect.stringContaining('helmrelease_v2.json') })])
  })
})
