/**
 * Built-in data: where well-known charts live as OCI artifacts (REFERENCE §5) and the known relocations of OCI
 * chart repositories (REFERENCE §3). Users extend or override it with `charts:` entries in their config.
 */

/** Date the table's facts were last checked. Reported with "none found"/mirror rows, which age. */
export const CHART_TABLE_AS_OF = '2026-08'

/** `home-operations/charts-mirror`: republishes charts whose upstream has no OCI registry yet. */
export const CHARTS_MIRROR = 'oci://ghcr.io/home-operations/charts-mirror'

/**
 * - `upstream`: the chart's maintainers publish it at `url`;
 * - `mirror`: only a third-party mirror has it (it prunes a chart six months after upstream ships OCI);
 * - `oci-repository`: the legacy repository is already OCI, `url` is `<repository>/<chart>`;
 * - `unverified`: upstream publishes OCI, but no URL has been checked, so the user must confirm one;
 * - `none`: no OCI location found; keep the HelmRepository;
 * - `replaced`: Chongus replaces the chart with another (`replacement`).
 */
export type ChartStatus = 'upstream' | 'mirror' | 'oci-repository' | 'unverified' | 'none' | 'replaced'

/** One row of the chart table. */
export interface KnownChart {
  /** Chart names this row covers; a trailing `*` matches a prefix. Absent: every chart of `repositories`. */
  readonly charts?: readonly string[]
  /** Legacy HelmRepository URLs, without trailing slash. Absent: the row matches by chart name alone. */
  readonly repositories?: readonly string[]
  readonly status: ChartStatus
  /** OCI URL; `{chart}` stands for the chart name and `{repository}` for the legacy repository URL. */
  readonly url?: string
  /** Prefix of the registry's tags (`v`) that a Helm index version may have been written without. */
  readonly tagPrefix?: string
  /** What replaces the chart on Chongus (status `replaced`). */
  readonly replacement?: string
  /** Caveat reported with every resolution through this row. */
  readonly note?: string
}

const mirror = (chart: string, repository: string): KnownChart => ({
  charts: [chart],
  repositories: [repository],
  status: 'mirror',
  url: `${CHARTS_MIRROR}/{chart}`,
  note: `no upstream OCI registry as of ${CHART_TABLE_AS_OF}; home-operations/charts-mirror prunes a chart six months after upstream ships OCI`,
})

const none = (charts: readonly string[] | undefined, repository: string): KnownChart => ({
  ...(charts ? { charts } : {}),
  repositories: [repository],
  status: 'none',
  note: `no OCI location found as of ${CHART_TABLE_AS_OF}; keep the HelmRepository for this chart`,
})

/** The built-in table (REFERENCE §5). Order matters only between rows of equal specificity. */
export const KNOWN_CHARTS: readonly KnownChart[] = [
  {
    charts: ['app-template'],
    repositories: ['https://bjw-s.github.io/helm-charts'],
    status: 'upstream',
    // The OCI relocation table then moves it on to bjw-s-labs when that location holds the version.
    url: 'oci://ghcr.io/bjw-s/helm/app-template',
    note: 'the bjw-s HTTP chart repository is broken (bjw-s-labs/helm-charts#422); the chart is published as OCI',
  },
  { charts: ['cert-manager'], repositories: ['https://charts.jetstack.io'], status: 'upstream', url: 'oci://quay.io/jetstack/charts/cert-manager', tagPrefix: 'v' },
  {
    charts: ['cilium'],
    repositories: ['https://helm.cilium.io'],
    status: 'upstream',
    url: 'oci://quay.io/cilium/charts/cilium',
    note: `Chongus still pulls cilium from ${CHARTS_MIRROR}/cilium, deprecated there since 2026-01`,
  },
  { charts: ['cloudnative-pg'], repositories: ['https://cloudnative-pg.github.io/charts'], status: 'upstream', url: 'oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg' },
  { charts: ['external-secrets'], repositories: ['https://charts.external-secrets.io'], status: 'upstream', url: 'oci://ghcr.io/external-secrets/charts/external-secrets' },
  { repositories: ['https://prometheus-community.github.io/helm-charts'], status: 'upstream', url: 'oci://ghcr.io/prometheus-community/charts/{chart}' },
  { charts: ['reloader'], repositories: ['https://stakater.github.io/stakater-charts'], status: 'upstream', url: 'oci://ghcr.io/stakater/charts/reloader' },
  { charts: ['coredns'], repositories: ['https://coredns.github.io/helm'], status: 'upstream', url: 'oci://ghcr.io/coredns/charts/coredns' },
  { charts: ['rook-ceph', 'rook-ceph-cluster'], repositories: ['https://charts.rook.io/release'], status: 'upstream', url: 'oci://ghcr.io/rook/{chart}', tagPrefix: 'v' },
  { charts: ['snapshot-controller'], repositories: ['https://piraeus.io/helm-charts'], status: 'upstream', url: 'oci://ghcr.io/piraeusdatastore/helm-charts/snapshot-controller' },
  {
    charts: ['node-feature-discovery'],
    repositories: ['https://kubernetes-sigs.github.io/node-feature-discovery/charts'],
    status: 'upstream',
    url: 'oci://registry.k8s.io/nfd/charts/node-feature-discovery',
  },
  {
    charts: ['openebs'],
    repositories: ['https://openebs.github.io/openebs'],
    status: 'upstream',
    url: 'oci://ghcr.io/openebs/charts/openebs',
    note: `Chongus still pulls openebs from ${CHARTS_MIRROR}/openebs, deprecated there since 2025-11`,
  },
  {
    charts: ['grafana'],
    repositories: ['https://grafana.github.io/helm-charts'],
    status: 'upstream',
    url: 'oci://ghcr.io/grafana/helm-charts/grafana',
    note: 'charts published by the grafana-community organisation are also seen; check which one you follow',
  },
  mirror('external-dns', 'https://kubernetes-sigs.github.io/external-dns'),
  mirror('metrics-server', 'https://kubernetes-sigs.github.io/metrics-server'),
  mirror('descheduler', 'https://kubernetes-sigs.github.io/descheduler'),
  mirror('volsync', 'https://backube.github.io/helm-charts'),
  mirror('csi-driver-nfs', 'https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/master/charts'),
  mirror('nvidia-device-plugin', 'https://nvidia.github.io/k8s-device-plugin'),
  { charts: ['kubelet-csr-approver'], repositories: ['https://postfinance.github.io/kubelet-csr-approver'], status: 'unverified' },
  { charts: ['intel-device-plugins-*'], repositories: ['https://intel.github.io/helm-charts'], status: 'unverified' },
  { repositories: ['oci://ghcr.io/kyverno/charts'], status: 'oci-repository', url: '{repository}/{chart}' },
  { repositories: ['oci://ghcr.io/spegel-org/helm-charts'], status: 'oci-repository', url: '{repository}/{chart}' },
  { repositories: ['oci://registry-1.docker.io/bitnamicharts'], status: 'oci-repository', url: '{repository}/{chart}' },
  {
    charts: ['ingress-nginx'],
    repositories: ['https://kubernetes.github.io/ingress-nginx'],
    status: 'replaced',
    replacement: 'oci://mirror.gcr.io/envoyproxy/gateway-helm',
    note: 'Chongus routes HTTP through Envoy Gateway and the Gateway API instead of ingress-nginx',
  },
  none(['pod-gateway'], 'https://angelnu.github.io/helm-charts'),
  none(['keycloakx'], 'https://codecentric.github.io/helm-charts'),
  none(undefined, 'https://sqljames.github.io/factorio-server-charts'),
  none(['ping-exporter'], 'https://raw.githubusercontent.com/czerwonk/ping_exporter/main/dist/charts'),
]

/**
 * A chart repository that moved. `from` holds releases up to `lastAtFrom`, `to` holds releases from `firstAtTo`
 * on; versions in both ranges exist in both places.
 */
export interface Relocation {
  readonly chart: string
  /** Full OCI URL of the chart at its old location. */
  readonly from: string
  /** Full OCI URL of the chart at its maintained location. */
  readonly to: string
  readonly lastAtFrom: string
  readonly firstAtTo: string
  /** When and where the move was announced. */
  readonly since: string
  /** Reported when the release stays on a version older than `upgrade.below` (a separate, reviewed step). */
  readonly upgrade?: { readonly below: string; readonly message: string }
}

/** Known relocations (REFERENCE §3). */
export const RELOCATIONS: readonly Relocation[] = [
  {
    chart: 'app-template',
    from: 'oci://ghcr.io/bjw-s/helm/app-template',
    to: 'oci://ghcr.io/bjw-s-labs/helm/app-template',
    lastAtFrom: '3.7.3',
    firstAtTo: '3.7.3',
    since: '2025-05-01, bjw-s-labs/helm-charts#378',
    upgrade: {
      below: '4.0.0',
      message:
        'Chongus runs app-template 4.x (4.6.2 in 2026); 3→4 renames the primary Service of multi-Service releases and changes selector labels, so upgrade as a separate, reviewed change',
    },
  },
]
