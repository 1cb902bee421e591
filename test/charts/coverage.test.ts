import { describe, expect, it } from 'vitest'
import { formatCoverage, measureChartCoverage } from '../../src/dev/chart-coverage.ts'

const repo = (name: string, url: string, type = '') => `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 30m
  url: ${url}
${type ? `  type: ${type}\n` : ''}`
const release = (name: string, chart: string, version: string, source: string) => `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
spec:
  interval: 30m
  chart:
    spec:
      chart: ${chart}
      version: ${version}
      sourceRef:
        kind: HelmRepository
        name: ${source}
        namespace: flux-system
`
const FILES = new Map([
  ['repos/bjw-s.yaml', repo('bjw-s', 'oci://ghcr.io/bjw-s/helm', 'oci')],
  ['repos/more.yaml', repo('jetstack', 'https://charts.jetstack.io/') + repo('nginx', 'https://kubernetes.github.io/ingress-nginx')],
  ['apps/a/helmrelease.yaml', release('a', 'app-template', '3.7.3', 'bjw-s')],
  ['apps/b/helmrelease.yaml', release('b', 'cert-manager', 'v1.17.2', 'jetstack')],
  ['apps/c/helmrelease.yaml', release('c', 'ingress-nginx', '4.12.2', 'nginx')],
  ['apps/d/helmrelease.yaml', 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: d}\nspec:\n  chartRef: {kind: OCIRepository, name: d}\n'],
  ['apps/e/helmrelease.yaml', 'values:\n  host: *undefined\n'],
  ['other/f/helmrelease.yaml', release('f', 'app-template', '3.7.3', 'bjw-s')],
])

describe('measureChartCoverage', () => {
  it('plans every HelmRelease of a tree and summarises the failures by chart', () => {
    const cov = measureChartCoverage(FILES, ['apps/'])
    expect(cov.rows.map((r) => [r.name, r.chart, r.plan.status])).toEqual([
      ['a', 'app-template', 'migrate'],
      ['b', 'cert-manager', 'migrate'],
      ['c', 'ingress-nginx', 'blocked'],
      ['d', 'chartRef:d', 'already-migrated'],
    ])
    expect(cov.unreadable.map((u) => u.file)).toEqual(['apps/e/helmrelease.yaml'])
    expect(formatCoverage(cov).split('\n').slice(0, 5)).toEqual([
      'HelmReleases: 4',
      '  migrate: 2',
      '  already migrated: 1',
      '  blocked: 1',
      '  ✗ ingress-nginx: chart-replaced (1) apps/c/helmrelease.yaml',
    ])
    expect(measureChartCoverage(FILES).rows).toHaveLength(5)
  })
})
