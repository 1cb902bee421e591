import { describe, expect, it } from 'vitest'
import { planHelmReleaseChart, type ChartPlan } from '../../src/charts/helmrelease.ts'
import type { HelmRepositoryInfo } from '../../src/charts/resolve.ts'
import { assertValidOciRepository } from './oci-schema.ts'

const REPOS: HelmRepositoryInfo[] = [
  { name: 'bjw-s', namespace: 'flux-system', type: 'oci', url: 'oci://ghcr.io/bjw-s/helm', interval: '30m' },
  { name: 'jetstack', namespace: 'flux-system', url: 'https://charts.jetstack.io/' },
  { name: 'ingress-nginx', namespace: 'flux-system', url: 'https://kubernetes.github.io/ingress-nginx' },
  { name: 'private', namespace: 'flux-system', type: 'oci', url: 'oci://ghcr.io/me/charts', secretRef: { name: 'ghcr' }, provider: 'generic', insecure: 'false' },
  { name: 'private-https', namespace: 'flux-system', url: 'https://charts.example.com', secretRef: { name: 'basic' } },
  { name: 'dup', namespace: 'a', type: 'oci', url: 'oci://a.example.com/charts' },
  { name: 'dup', namespace: 'b', type: 'oci', url: 'oci://b.example.com/charts' },
]

type ChartSpec = Record<string, unknown>
function hr(chartSpec: ChartSpec | undefined, extra: { spec?: Record<string, unknown>; metadata?: Record<string, unknown>; chart?: Record<string, unknown>; apiVersion?: string } = {}) {
  return {
    apiVersion: extra.apiVersion ?? 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'demo', ...extra.metadata },
    spec: { interval: '30m', ...(chartSpec ? { chart: { spec: chartSpec, ...extra.chart } } : {}), ...extra.spec },
  }
}
const appTemplate: ChartSpec = { chart: 'app-template', version: '3.7.3', sourceRef: { kind: 'HelmRepository', name: 'bjw-s', namespace: 'flux-system' } }
const rules = (fs: readonly { severity: string; rule: string }[]) => fs.map((f) => `${f.severity}:${f.rule}`)
const plan = (x: unknown) => planHelmReleaseChart(x, REPOS)
function migrated(p: ChartPlan) {
  expect(p.errors).toEqual([])
  expect(p.status).toBe('migrate')
  assertValidOciRepository(p.ociRepository)
  return p.ociRepository!
}

describe('planHelmReleaseChart: migrations', () => {
  it('moves app-template 3.7.3 from the bjw-s HelmRepository to a per-app OCIRepository at bjw-s-labs', () => {
    const p = plan(hr(appTemplate))
    const o = migrated(p)
    expect(o.metadata).toEqual({ name: 'demo' })
    expect(o.spec).toMatchObject({ interval: '1h', ref: { tag: '3.7.3' }, url: 'oci://ghcr.io/bjw-s-labs/helm/app-template' })
    expect(p.chartRef).toEqual({ kind: 'OCIRepository', name: 'demo' })
    expect(p.schemaComment).toContain('ocirepository_v1.json')
    expect(rules(p.notes)).toEqual(['info:chart-relocated', 'info:chart-upgrade-available'])
    expect(p.notes[0].path).toEqual(['spec', 'chart', 'spec'])
    expect(p.dropped).toEqual([])
  })

  it('carries chart.spec.interval and verify, and the release namespace', () => {
    const verify = { provider: 'cosign', secretRef: { name: 'cosign-pub' } }
    const o = migrated(plan(hr({ ...appTemplate, interval: '5m', verify }, { metadata: { namespace: 'media' } })))
    expect(o.spec.interval).toBe('5m')
    expect(plan(hr({ ...appTemplate, interval: '5m' })).notes).toContainEqual(expect.objectContaining({ severity: 'info', rule: 'chart-interval-carried', path: ['spec', 'chart', 'spec', 'interval'] }))
    expect(rules(plan(hr({ ...appTemplate, interval: '1h' })).notes)).not.toContain('info:chart-interval-carried')
    expect(o.spec.verify).toEqual(verify)
    expect(o.metadata).toEqual({ name: 'demo', namespace: 'media' })
  })

  it('adds the registry tag prefix a Helm index version may lack, with a warning', () => {
    const p = plan(hr({ chart: 'cert-manager', version: '1.17.2', sourceRef: { kind: 'HelmRepository', name: 'jetstack', namespace: 'flux-system' } }))
    expect(migrated(p).spec).toMatchObject({ ref: { tag: 'v1.17.2' }, url: 'oci://quay.io/jetstack/charts/cert-manager' })
    expect(p.notes).toContainEqual(expect.objectContaining({ severity: 'warning', rule: 'tag-prefix-added', path: ['spec', 'chart', 'spec', 'version'] }))
    const pinned = plan(hr({ chart: 'cert-manager', version: 'v1.17.2', sourceRef: { kind: 'HelmRepository', name: 'jetstack' } }))
    expect(migrated(pinned).spec.ref).toEqual({ tag: 'v1.17.2' })
    expect(rules(pinned.notes)).toEqual([])
  })

  it('follows every release when no version is set, with a warning at the version path', () => {
    const { version: _drop, ...noVersion } = appTemplate
    const p = plan(hr(noVersion))
    expect(migrated(p).spec.ref).toEqual({ semver: '*' })
    expect(p.notes[0]).toMatchObject({ severity: 'warning', rule: 'unpinned-chart-version', path: ['spec', 'chart', 'spec', 'version'] })
  })

  it('keeps a range as ref.semver', () => {
    expect(migrated(plan(hr({ ...appTemplate, version: '4.x' }))).spec.ref).toEqual({ semver: '4.x' })
  })

  it('finds the repository in the release namespace when sourceRef has none', () => {
    const p = planHelmReleaseChart(hr({ ...appTemplate, sourceRef: { kind: 'HelmRepository', name: 'dup' } }, { metadata: { namespace: 'b' } }), REPOS)
    expect(migrated(p).spec.url).toBe('oci://b.example.com/charts/app-template')
  })

  it('copies the credentials of an OCI repository, and reports those of an https one', () => {
    const oci = plan(hr({ chart: 'secret-chart', version: '1.0.0', sourceRef: { kind: 'HelmRepository', name: 'private' } }))
    expect(migrated(oci).spec).toMatchObject({ secretRef: { name: 'ghcr' }, provider: 'generic', insecure: false })
    expect(rules(oci.notes)).toEqual(['info:repository-credentials-carried'])
    const https = planHelmReleaseChart(hr({ chart: 'c', version: '1.0.0', sourceRef: { kind: 'HelmRepository', name: 'private-https' } }), REPOS, [
      { name: 'c', url: 'oci://registry.example.com/c' },
    ])
    expect(migrated(https).spec.secretRef).toBeUndefined()
    expect(https.notes).toContainEqual(expect.objectContaining({ severity: 'warning', rule: 'repository-credentials-not-carried', loss: true }))
  })

  it('drops reconcileStrategy, chart.metadata and unknown fields, reporting each as a loss', () => {
    const p = plan(hr({ ...appTemplate, reconcileStrategy: 'Revision', ignoreMissingValuesFiles: true, colour: 'blue' }, { chart: { metadata: { labels: { a: 'b' } }, extra: 1 } }))
    migrated(p)
    expect(p.dropped.map((d) => [d.severity, d.rule, d.path, d.loss])).toEqual([
      ['info', 'chart-metadata-dropped', ['spec', 'chart', 'metadata'], true],
      ['warning', 'unknown-chart-field', ['spec', 'chart', 'extra'], true],
      ['info', 'reconcile-strategy-dropped', ['spec', 'chart', 'spec', 'reconcileStrategy'], true],
      ['info', 'values-files-option-dropped', ['spec', 'chart', 'spec', 'ignoreMissingValuesFiles'], true],
      ['warning', 'unknown-chart-field', ['spec', 'chart', 'spec', 'colour'], true],
    ])
  })
})

describe('planHelmReleaseChart: nothing to do', () => {
  it('reports a chartRef to an OCIRepository as already migrated', () => {
    const p = plan(hr(undefined, { spec: { chartRef: { kind: 'OCIRepository', name: 'demo' } } }))
    expect(p).toMatchObject({ status: 'already-migrated', chartRef: { kind: 'OCIRepository', name: 'demo' }, errors: [] })
    expect(p.ociRepository).toBeUndefined()
    expect(rules(p.notes)).toEqual(['info:already-migrated'])
  })
})

describe('planHelmReleaseChart: blocked', () => {
  const blocked = (p: ChartPlan, rule: string, path?: readonly (string | number)[]) => {
    expect(p.status).toBe('blocked')
    expect(p.ociRepository).toBeUndefined()
    expect(p.chartRef).toBeUndefined()
    expect(rules(p.errors)).toContain(`error:${rule}`)
    if (path) expect(p.errors.find((e) => e.rule === rule)!.path).toEqual(path)
    return p.errors.find((e) => e.rule === rule)!
  }

  it('rejects both chart and chartRef', () => {
    blocked(plan(hr(appTemplate, { spec: { chartRef: { kind: 'OCIRepository', name: 'demo' } } })), 'chart-and-chartref', ['spec'])
  })

  it('rejects a release with neither, or a chart without spec', () => {
    blocked(plan(hr(undefined)), 'no-chart', ['spec'])
    blocked(plan({ metadata: { name: 'x' }, spec: { chart: { metadata: {} } } }), 'no-chart', ['spec', 'chart'])
  })

  it('rejects a chartRef to a HelmChart or an unknown kind', () => {
    blocked(plan(hr(undefined, { spec: { chartRef: { kind: 'HelmChart', name: 'x' } } })), 'chartref-helmchart')
    blocked(plan(hr(undefined, { spec: { chartRef: { kind: 'GitRepository', name: 'x' } } })), 'invalid-chartref', ['spec', 'chartRef', 'kind'])
  })

  it('rejects what is not a HelmRelease with a spec and a name', () => {
    blocked(plan('nope'), 'invalid-helmrelease')
    blocked(plan({ metadata: { name: 'x' } }), 'invalid-helmrelease', ['spec'])
    blocked(plan({ spec: { chart: { spec: appTemplate } } }), 'invalid-helmrelease', ['metadata', 'name'])
  })

  it.each(['GitRepository', 'Bucket'])('explains why a chart built from a %s cannot move', (kind) => {
    const e = blocked(plan(hr({ chart: './charts/demo', sourceRef: { kind, name: 'home-ops' } })), 'chart-source-not-helm-repository', ['spec', 'chart', 'spec', 'sourceRef', 'kind'])
    expect(e.message).toContain(kind)
    expect(e.hint).toContain('keep spec.chart')
  })

  it('rejects a missing sourceRef or chart name', () => {
    blocked(plan(hr({ chart: 'app-template', version: '3.7.3' })), 'no-source-ref')
    blocked(plan(hr({ version: '3.7.3', sourceRef: appTemplate.sourceRef })), 'no-chart-name', ['spec', 'chart', 'spec', 'chart'])
  })

  it('lists the HelmRepositories that exist when the reference matches none, with a guess', () => {
    const e = blocked(plan(hr({ ...appTemplate, sourceRef: { kind: 'HelmRepository', name: 'bjw-z', namespace: 'flux-system' } })), 'helmrepository-not-found', ['spec', 'chart', 'spec', 'sourceRef', 'name'])
    expect(e.message).toBe('HelmRepository flux-system/bjw-z not found; known: a/dup, b/dup, flux-system/bjw-s, flux-system/ingress-nginx, flux-system/jetstack, flux-system/private, flux-system/private-https')
    expect(e.hint).toBe('did you mean bjw-s?')
    expect(blocked(planHelmReleaseChart(hr(appTemplate), []), 'helmrepository-not-found').message).toContain('known: none')
  })

  it('rejects a name found in several namespaces when none is given', () => {
    blocked(plan(hr({ ...appTemplate, sourceRef: { kind: 'HelmRepository', name: 'dup' } })), 'helmrepository-ambiguous')
  })

  it('rejects valuesFiles, which have no OCIRepository equivalent', () => {
    for (const key of ['valuesFiles', 'valuesFile']) {
      const e = blocked(plan(hr({ ...appTemplate, [key]: ['values-prod.yaml'] })), 'values-files', ['spec', 'chart', 'spec', key])
      expect(e.hint).toContain('spec.values')
    }
  })

  it('rejects a version that is not SemVer, at its path', () => {
    blocked(plan(hr({ ...appTemplate, version: 'latest' })), 'invalid-version', ['spec', 'chart', 'spec', 'version'])
  })

  it('rejects a mistyped interval or verify', () => {
    blocked(plan(hr({ ...appTemplate, interval: 30 })), 'invalid-chart-interval')
    blocked(plan(hr({ ...appTemplate, verify: 'cosign' })), 'invalid-chart-verify')
  })

  it('collects every error of one release at once', () => {
    const p = plan(hr({ ...appTemplate, version: 'latest', valuesFiles: ['x.yaml'], sourceRef: { kind: 'HelmRepository', name: 'nope' } }))
    expect(rules(p.errors).sort()).toEqual(['error:helmrepository-not-found', 'error:invalid-version', 'error:values-files'])
  })

  it('blocks a chart without an OCI location, keeping the hint', () => {
    const e = blocked(plan(hr({ chart: 'ingress-nginx', version: '4.12.2', sourceRef: { kind: 'HelmRepository', name: 'ingress-nginx' } })), 'chart-replaced', ['spec', 'chart', 'spec'])
    expect(e.hint).toContain('charts: [{name: ingress-nginx')
  })

  it('warns when the HelmRelease API version has no chartRef', () => {
    const p = plan(hr(appTemplate, { apiVersion: 'helm.toolkit.fluxcd.io/v2beta1' }))
    expect(p.notes).toContainEqual(expect.objectContaining({ severity: 'warning', rule: 'helmrelease-api-version', path: ['apiVersion'] }))
  })
})
