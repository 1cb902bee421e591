import { describe, expect, it } from 'vitest'
import { CHARTS_MIRROR, KNOWN_CHARTS } from '../../src/charts/table.ts'
import { resolveChartSource, type ChartSource } from '../../src/charts/resolve.ts'

type Expect = { url: string; tagPrefix?: string; warn?: string } | { error: string }

/** One case per table row, in table order: [chart, repository URL as a user might write it, type, expected]. */
const ROWS: [string, string, string | undefined, Expect][] = [
  ['app-template', 'https://bjw-s.github.io/helm-charts/', undefined, { url: 'oci://ghcr.io/bjw-s-labs/helm/app-template' }],
  ['cert-manager', 'https://charts.jetstack.io/', undefined, { url: 'oci://quay.io/jetstack/charts/cert-manager', tagPrefix: 'v' }],
  ['cilium', 'https://helm.cilium.io', undefined, { url: 'oci://quay.io/cilium/charts/cilium' }],
  ['cloudnative-pg', 'https://cloudnative-pg.github.io/charts', undefined, { url: 'oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg' }],
  ['external-secrets', 'https://charts.external-secrets.io', undefined, { url: 'oci://ghcr.io/external-secrets/charts/external-secrets' }],
  ['kube-prometheus-stack', 'https://prometheus-community.github.io/helm-charts', undefined, { url: 'oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack' }],
  ['reloader', 'https://stakater.github.io/stakater-charts', undefined, { url: 'oci://ghcr.io/stakater/charts/reloader' }],
  ['coredns', 'https://coredns.github.io/helm', undefined, { url: 'oci://ghcr.io/coredns/charts/coredns' }],
  ['rook-ceph-cluster', 'https://charts.rook.io/release', undefined, { url: 'oci://ghcr.io/rook/rook-ceph-cluster', tagPrefix: 'v' }],
  ['snapshot-controller', 'https://piraeus.io/helm-charts/', undefined, { url: 'oci://ghcr.io/piraeusdatastore/helm-charts/snapshot-controller' }],
  ['node-feature-discovery', 'https://kubernetes-sigs.github.io/node-feature-discovery/charts', undefined, { url: 'oci://registry.k8s.io/nfd/charts/node-feature-discovery' }],
  ['openebs', 'https://openebs.github.io/openebs', undefined, { url: 'oci://ghcr.io/openebs/charts/openebs' }],
  ['grafana', 'https://grafana.github.io/helm-charts', undefined, { url: 'oci://ghcr.io/grafana/helm-charts/grafana' }],
  ['external-dns', 'https://kubernetes-sigs.github.io/external-dns', undefined, { url: `${CHARTS_MIRROR}/external-dns`, warn: 'chart-from-mirror' }],
  ['metrics-server', 'https://kubernetes-sigs.github.io/metrics-server/', undefined, { url: `${CHARTS_MIRROR}/metrics-server`, warn: 'chart-from-mirror' }],
  ['descheduler', 'https://kubernetes-sigs.github.io/descheduler', undefined, { url: `${CHARTS_MIRROR}/descheduler`, warn: 'chart-from-mirror' }],
  ['volsync', 'https://backube.github.io/helm-charts/', undefined, { url: `${CHARTS_MIRROR}/volsync`, warn: 'chart-from-mirror' }],
  ['csi-driver-nfs', 'https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/master/charts', undefined, { url: `${CHARTS_MIRROR}/csi-driver-nfs`, warn: 'chart-from-mirror' }],
  ['nvidia-device-plugin', 'https://nvidia.github.io/k8s-device-plugin', undefined, { url: `${CHARTS_MIRROR}/nvidia-device-plugin`, warn: 'chart-from-mirror' }],
  ['kubelet-csr-approver', 'https://postfinance.github.io/kubelet-csr-approver', undefined, { error: 'oci-location-unverified' }],
  ['intel-device-plugins-gpu', 'https://intel.github.io/helm-charts', undefined, { error: 'oci-location-unverified' }],
  ['kyverno', 'oci://ghcr.io/kyverno/charts', 'oci', { url: 'oci://ghcr.io/kyverno/charts/kyverno' }],
  ['spegel', 'oci://ghcr.io/spegel-org/helm-charts/', 'oci', { url: 'oci://ghcr.io/spegel-org/helm-charts/spegel' }],
  ['redis', 'oci://registry-1.docker.io/bitnamicharts', 'oci', { url: 'oci://registry-1.docker.io/bitnamicharts/redis' }],
  ['ingress-nginx', 'https://kubernetes.github.io/ingress-nginx', undefined, { error: 'chart-replaced' }],
  ['pod-gateway', 'https://angelnu.github.io/helm-charts', undefined, { error: 'no-oci-location' }],
  ['keycloakx', 'https://codecentric.github.io/helm-charts', undefined, { error: 'no-oci-location' }],
  ['factorio-server-charts', 'https://sqljames.github.io/factorio-server-charts', undefined, { error: 'no-oci-location' }],
  ['ping-exporter', 'https://raw.githubusercontent.com/czerwonk/ping_exporter/main/dist/charts/', undefined, { error: 'no-oci-location' }],
]

const repo = (url: string, type?: string) => ({ name: 'r', namespace: 'flux-system', url, ...(type ? { type } : {}) })
const summary = (s: ChartSource) =>
  'error' in s ? { error: s.error.rule } : { url: s.url, ...(s.tagPrefix ? { tagPrefix: s.tagPrefix } : {}) }

describe('KNOWN_CHARTS', () => {
  it('has one case below per row, each naming a repository of that row', () => {
    expect(ROWS).toHaveLength(KNOWN_CHARTS.length)
    ROWS.forEach(([, url], i) => {
      const keys = KNOWN_CHARTS[i].repositories!.map((u) => u.replace(/\/$/, ''))
      expect(keys).toContain(url.replace(/\/+$/, ''))
    })
  })

  it.each(ROWS.map((r, i) => [i, ...r] as const))('row %i: %s from %s', (_i, chart, url, type, expected) => {
    const s = resolveChartSource({ chart, version: '9.9.9', repo: repo(url, type) })
    const { warn, ...rest } = expected as { warn?: string }
    expect(summary(s)).toEqual(rest)
    if (warn) expect(s.notes.map((n) => n.rule)).toContain(warn)
    if (!('error' in s)) expect(s.notes.filter((n) => n.severity === 'error')).toEqual([])
  })

  it('explains in every blocking error how to map the chart in the config', () => {
    for (const [chart, url, type, expected] of ROWS) {
      if (!('error' in expected)) continue
      const s = resolveChartSource({ chart, repo: repo(url, type) })
      expect('error' in s && s.error.hint).toContain(`charts: [{name: ${chart}, repository: ${url.replace(/\/+$/, '')}, url: oci://`)
    }
  })

  it('names the replacement of ingress-nginx', () => {
    const s = resolveChartSource({ chart: 'ingress-nginx', repo: repo('https://kubernetes.github.io/ingress-nginx') })
    expect('error' in s && s.error.message).toContain('oci://mirror.gcr.io/envoyproxy/gateway-helm')
  })

  it('carries the row caveat as a note', () => {
    const s = resolveChartSource({ chart: 'cilium', version: '1.17.2', repo: repo('https://helm.cilium.io') })
    expect(s.notes).toEqual([expect.objectContaining({ severity: 'info', rule: 'chart-table-note', message: expect.stringContaining('charts-mirror/cilium') })])
  })

  it('matches a prefix row only for charts with that prefix', () => {
    const s = resolveChartSource({ chart: 'other-chart', repo: repo('https://intel.github.io/helm-charts') })
    expect('error' in s && s.error.rule).toBe('no-oci-location')
  })
})
