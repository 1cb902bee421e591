/**
 * Plans `spec.chart` → `spec.chartRef` + a per-app OCIRepository for one HelmRelease (REFERENCE §4):
 * `chart`, `version`, `sourceRef` → url and ref; `interval`, `verify` → the OCIRepository; `valuesFiles` blocks
 * the migration; `reconcileStrategy` and `chart.metadata` are dropped and reported; any other field is reported
 * as lost.
 */
import type { ChartOverride } from './config.ts'
import { atPath, finding, isRecord, type Finding, type KeyPath } from './findings.ts'
import { buildOciRepository, DEFAULT_OCI_INTERVAL, OCI_REPOSITORY_SCHEMA_COMMENT, type OciRepositoryInput, type OciRepositoryManifest, type OciVerify } from './oci-repository.ts'
import { findHelmRepository } from './repositories.ts'
import { resolveChartSource, type ChartData, type HelmRepositoryInfo } from './resolve.ts'
import { versionToRef, type OciRef } from './version.ts'

/** `spec.chartRef` of a migrated HelmRelease. */
export interface ChartRef {
  kind: 'OCIRepository'
  name: string
  namespace?: string
}

/**
 * The plan for one HelmRelease. `migrate`: write `ociRepository` (with `schemaComment` above it) and replace
 * `spec.chart` by `chartRef`. `already-migrated`: nothing to do. `blocked`: `errors` say why; leave it unchanged.
 */
export interface ChartPlan {
  status: 'migrate' | 'already-migrated' | 'blocked'
  ociRepository?: OciRepositoryManifest
  schemaComment?: string
  chartRef?: ChartRef
  /** Fields of `spec.chart` the new shape does not keep (each with `loss: true`). */
  dropped: Finding[]
  /** Findings that do not block: relocations, unpinned versions, repository credentials. */
  notes: Finding[]
  errors: Finding[]
}

const CHART: KeyPath = ['spec', 'chart']
const CS: KeyPath = ['spec', 'chart', 'spec']
const MAPPED = new Set(['chart', 'version', 'sourceRef', 'interval', 'verify'])

function blocked(error: Finding, notes: Finding[] = []): ChartPlan {
  return { status: 'blocked', dropped: [], notes, errors: [error] }
}

/** Findings for `chart.spec` fields with no OCIRepository counterpart. */
function unmappedFields(chart: Record<string, unknown>, cs: Record<string, unknown>): { dropped: Finding[]; errors: Finding[] } {
  const dropped: Finding[] = []
  const errors: Finding[] = []
  for (const key of Object.keys(chart)) {
    if (key === 'metadata') {
      dropped.push(finding('info', 'chart-metadata-dropped', 'chart.metadata labelled the generated HelmChart, which no longer exists', { path: [...CHART, key], loss: true }))
    } else if (key !== 'spec') {
      dropped.push(finding('warning', 'unknown-chart-field', `spec.chart.${key} is not a HelmRelease field; dropped`, { path: [...CHART, key], loss: true }))
    }
  }
  for (const key of Object.keys(cs)) {
    const path = [...CS, key]
    if (MAPPED.has(key)) continue
    if (key === 'valuesFiles' || key === 'valuesFile') {
      errors.push(
        finding('error', 'values-files', `chart.spec.${key} has no OCIRepository equivalent: the chart's extra values files would be lost`, {
          path,
          hint: 'move those values into spec.values or spec.valuesFrom first, or point chartRef at a HelmChart that keeps valuesFiles',
        }),
      )
    } else if (key === 'ignoreMissingValuesFiles' && cs.valuesFiles === undefined) {
      dropped.push(finding('info', 'values-files-option-dropped', 'chart.spec.ignoreMissingValuesFiles has no values files to apply to', { path, loss: true }))
    } else if (key === 'reconcileStrategy') {
      dropped.push(
        finding('info', 'reconcile-strategy-dropped', `chart.spec.reconcileStrategy: ${String(cs[key])} has no OCIRepository equivalent; chartRef follows the artifact revision`, {
          path,
          loss: true,
        }),
      )
    } else if (key !== 'ignoreMissingValuesFiles') {
      dropped.push(finding('warning', 'unknown-chart-field', `chart.spec.${key} is not a HelmChart field; dropped`, { path, loss: true }))
    }
  }
  return { dropped, errors }
}

function checkChartRef(ref: unknown): ChartPlan {
  const kind = isRecord(ref) ? ref.kind : undefined
  if (kind === 'OCIRepository') {
    return { status: 'already-migrated', chartRef: ref as unknown as ChartRef, dropped: [], notes: [finding('info', 'already-migrated', 'spec.chartRef already points at an OCIRepository', { path: ['spec', 'chartRef'] })], errors: [] }
  }
  if (kind === 'HelmChart') {
    return blocked(finding('error', 'chartref-helmchart', 'spec.chartRef points at a HelmChart; move that HelmChart to an OCIRepository by hand', { path: ['spec', 'chartRef'] }))
  }
  return blocked(finding('error', 'invalid-chartref', `spec.chartRef.kind must be OCIRepository or HelmChart, got ${JSON.stringify(kind)}`, { path: ['spec', 'chartRef', 'kind'] }))
}

/** Credentials of the legacy repository: carried when the chart stays in the same OCI registry, else reported. */
function repositoryAccess(repo: HelmRepositoryInfo, sameRegistry: boolean): { fields: Partial<OciRepositoryInput>; notes: Finding[] } {
  const fields: Partial<OciRepositoryInput> = {}
  const creds = (['secretRef', 'certSecretRef', 'provider', 'insecure'] as const).filter((k) => repo[k] !== undefined)
  if (creds.length === 0) return { fields, notes: [] }
  if (!sameRegistry) {
    const msg = `HelmRepository ${repo.name} sets ${creds.join(', ')} for its https index; the OCI registry needs its own (a docker-registry Secret for spec.secretRef)`
    return { fields, notes: [finding('warning', 'repository-credentials-not-carried', msg, { loss: true, hint: 'add spec.secretRef/certSecretRef to the OCIRepository if the registry is private' })] }
  }
  for (const k of creds) {
    if (k === 'insecure') fields.insecure = repo.insecure === true || repo.insecure === 'true'
    else if (k === 'provider') fields.provider = String(repo.provider)
    else fields[k] = repo[k] as { name: string }
  }
  return { fields, notes: [finding('info', 'repository-credentials-carried', `copied ${creds.join(', ')} from HelmRepository ${repo.name}`)] }
}

/**
 * Plans the chart source of one HelmRelease. `repos` are the HelmRepositories in scope; `overrides` the config's
 * `charts:` entries. Every finding carries the key path inside the HelmRelease where one applies.
 */
export function planHelmReleaseChart(hr: unknown, repos: readonly HelmRepositoryInfo[], overrides: readonly ChartOverride[] = [], data: ChartData = {}): ChartPlan {
  const spec = isRecord(hr) ? hr.spec : undefined
  const meta = isRecord(hr) && isRecord(hr.metadata) ? hr.metadata : {}
  if (!isRecord(spec)) return blocked(finding('error', 'invalid-helmrelease', 'HelmRelease has no spec', { path: ['spec'] }))
  if (typeof meta.name !== 'string' || meta.name === '') return blocked(finding('error', 'invalid-helmrelease', 'HelmRelease has no metadata.name', { path: ['metadata', 'name'] }))
  if (spec.chart !== undefined && spec.chartRef !== undefined) {
    return blocked(finding('error', 'chart-and-chartref', 'HelmRelease sets both spec.chart and spec.chartRef; Flux requires exactly one', { path: ['spec'], hint: 'delete the one that is not in use' }))
  }
  if (spec.chartRef !== undefined) return checkChartRef(spec.chartRef)
  if (spec.chart === undefined) return blocked(finding('error', 'no-chart', 'HelmRelease has neither spec.chart nor spec.chartRef', { path: ['spec'] }))
  const chart = spec.chart
  if (!isRecord(chart) || !isRecord(chart.spec)) return blocked(finding('error', 'no-chart', 'spec.chart has no spec', { path: CHART }))
  const cs = chart.spec
  const { dropped, errors } = unmappedFields(chart, cs)
  const notes: Finding[] = []
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined
  if (isRecord(hr) && hr.apiVersion !== undefined && hr.apiVersion !== 'helm.toolkit.fluxcd.io/v2') {
    notes.push(finding('warning', 'helmrelease-api-version', `chartRef needs helm.toolkit.fluxcd.io/v2; this HelmRelease is ${String(hr.apiVersion)}`, { path: ['apiVersion'] }))
  }
  if (cs.interval !== undefined && typeof cs.interval !== 'string') {
    errors.push(finding('error', 'invalid-chart-interval', `chart.spec.interval must be a duration string, got ${JSON.stringify(cs.interval)}`, { path: [...CS, 'interval'] }))
  }
  if (cs.verify !== undefined && !isRecord(cs.verify)) {
    errors.push(finding('error', 'invalid-chart-verify', 'chart.spec.verify must be a map ({provider, secretRef})', { path: [...CS, 'verify'] }))
  }
  const ref = versionToRef(cs.version)
  if ('error' in ref) errors.push({ ...ref.error, path: [...CS, 'version'] })
  else notes.push(...atPath(ref.notes, [...CS, 'version']))
  const src = cs.sourceRef
  let repo: HelmRepositoryInfo | undefined
  if (typeof cs.chart !== 'string' || cs.chart === '') errors.push(finding('error', 'no-chart-name', 'chart.spec.chart must name the chart', { path: [...CS, 'chart'] }))
  if (!isRecord(src) || typeof src.name !== 'string') {
    errors.push(finding('error', 'no-source-ref', 'chart.spec.sourceRef must name a HelmRepository', { path: [...CS, 'sourceRef'] }))
  } else if (src.kind !== 'HelmRepository') {
    errors.push(
      finding('error', 'chart-source-not-helm-repository', `chart.spec.sourceRef is a ${String(src.kind)}: the chart is built from files in it, while an OCIRepository can only pull a chart pushed to a registry`, {
        path: [...CS, 'sourceRef', 'kind'],
        hint: 'keep spec.chart as it is, or push the chart to an OCI registry and reference it with a HelmRepository of type: oci',
      }),
    )
  } else {
    const found = findHelmRepository(repos, src.name, typeof src.namespace === 'string' ? src.namespace : namespace)
    if ('error' in found) errors.push({ ...found.error, path: [...CS, 'sourceRef', 'name'] })
    else repo = found.repo
  }
  if (repo === undefined || typeof cs.chart !== 'string' || 'error' in ref) return { status: 'blocked', dropped, notes, errors }
  const version = typeof cs.version === 'string' ? cs.version : undefined
  const source = resolveChartSource({ chart: cs.chart, version, repo }, overrides, data)
  notes.push(...atPath(source.notes, CS))
  if ('error' in source) return { status: 'blocked', dropped, notes, errors: [...errors, { ...source.error, path: source.error.path ?? CS }] }
  let ociRef: OciRef = ref.ref
  if (source.tagPrefix && 'tag' in ociRef && !ociRef.tag.startsWith(source.tagPrefix)) {
    const tag = `${source.tagPrefix}${ociRef.tag}`
    notes.push(finding('warning', 'tag-prefix-added', `the registry tags ${cs.chart} as ${tag}; the Helm index also matched ${ociRef.tag}`, { path: [...CS, 'version'] }))
    ociRef = { tag }
  }
  if (errors.length > 0) return { status: 'blocked', dropped, notes, errors }
  const access = repositoryAccess(repo, source.origin === 'oci-repository')
  notes.push(...access.notes)
  const input: OciRepositoryInput = { ...access.fields, name: meta.name, url: source.url, ref: ociRef }
  if (namespace !== undefined) input.namespace = namespace
  if (typeof cs.interval === 'string') {
    input.interval = cs.interval
    if (cs.interval !== DEFAULT_OCI_INTERVAL) {
      notes.push(finding('info', 'chart-interval-carried', `chart.spec.interval ${cs.interval} becomes the OCIRepository interval; Chongus uses ${DEFAULT_OCI_INTERVAL}`, { path: [...CS, 'interval'] }))
    }
  }
  if (isRecord(cs.verify)) input.verify = cs.verify as OciVerify
  return {
    status: 'migrate',
    ociRepository: buildOciRepository(input),
    schemaComment: OCI_REPOSITORY_SCHEMA_COMMENT,
    chartRef: { kind: 'OCIRepository', name: meta.name },
    dropped,
    notes,
    errors,
  }
}
