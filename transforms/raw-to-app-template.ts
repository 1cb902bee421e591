/**
 * With `--to-app-template` (or `appTemplate.convert: true` in the configuration), rewrites an app's raw workloads
 * (Deployment, StatefulSet, DaemonSet, CronJob, Job), their Services, ServiceMonitors and Ingresses as one bjw-s
 * app-template HelmRelease (`app/helmrelease.yaml`, `chartRef` to a new `app/ocirepository.yaml`). An Ingress to the
 * release's Services becomes `route.<id>` values through the ingress converter (backendRefs name the Services by
 * identifier, so they follow the chart's naming); one whose conversion has errors stays raw for `ingress-route`.
 * Every other manifest stays raw, folded `images:` leave the kustomization (a folder without one, which Flux builds
 * from every manifest in it, loses the converted files and gains the new ones). The values are rendered with a
 * model of the chart and compared with the original manifests (routes with the HTTPRoutes the converter makes): any
 * difference no reported loss explains, any field app-template cannot express, keeps the app raw with an error
 * naming it.
 *
 * Reports: every dropped or renamed item (Velero annotations, old selector labels, renamed Services and the
 * references updated inside the app, container `app`), the ingress converter's findings at their Ingress lines,
 * other apps that reach a renamed Service (warning, not edited), the chart defaults made explicit, and what stays
 * raw.
 */
import { appTemplate, defineTransform, gatewayTargets, paths, printNewFile, resolveKustomize, type Report, type Resource, type TransformContext, type WFile } from '../src/transform-api.ts'
import { dropImages, planRemoval, unhashGenerators } from './lib/raw-apply.ts'
import { convertRawApp, type Conversion } from './lib/raw-manifests.ts'
import { commentLines, reportLostComments, variablesFor } from './lib/route-context.ts'
import { reportOutsideReferences } from './lib/service-refs.ts'

/** The chart version used when `appTemplate.version` is not configured. */
export const DEFAULT_APP_TEMPLATE_VERSION = appTemplate.DEFAULT_CHART_VERSION
const HR_SCHEMA = ' yaml-language-server: $schema=https://raw.githubusercontent.com/bjw-s-labs/helm-charts/main/charts/other/app-template/schemas/helmrelease-helm-v2.schema.json'
const OCI_SCHEMA = ' yaml-language-server: $schema=https://kubernetes-schemas.pages.dev/source.toolkit.fluxcd.io/ocirepository_v1.json'
const WORKLOADS = new Set(Object.keys(appTemplate.WORKLOAD_KINDS))
/** A top-level `kind:` line naming a workload, to test a file's text without parsing it. */
const WORKLOAD_LINE = new RegExp(`^kind:\\s*(${[...WORKLOADS].join('|')})\\s*$`, 'm')

export default defineTransform({
  id: 'raw-to-app-template',
  description: 'Rewrites raw workloads, Services, ServiceMonitors and Ingresses as one bjw-s app-template HelmRelease (opt-in: --to-app-template or appTemplate.convert).',
  after: ['ks-layout'],
  apply(ctx) {
    const dirs = kustomizationDirs(ctx)
    // What the app's kustomizations render, shared folders included; a cheap test first, since most apps hold no
    // raw workload: a parsed file's kinds are read off its documents (an edited one is not printed for this), and
    // the text of one not parsed is searched (parsing every copied file is not free).
    const files = [...new Set(dirs.flatMap((d) => resolveKustomize(ctx.ws, d).resources))].map((p) => ctx.ws.file(p)).filter((f): f is WFile => f !== undefined)
    const mayHoldWorkload = (f: WFile) => (f.isParsed ? (f.yaml?.docs ?? []).some((d) => WORKLOADS.has(d.getString(['kind']) ?? '')) : WORKLOAD_LINE.test(f.after ?? ''))
    if (!files.some(mayHoldWorkload)) return
    const workloads = ctx.ws.resources(files).filter((r) => WORKLOADS.has(r.ref.kind) && /^(apps|batch)\/v1$/.test(r.ref.apiVersion))
    if (workloads.length === 0) return
    if (!ctx.options.toAppTemplate) {
      ctx.report({ rule: 'raw-workloads', severity: 'info', message: `${workloads.length} raw workload(s) (${workloads.map((w) => `${w.ref.kind} ${w.ref.name}`).join(', ')}); rerun with --to-app-template (or set appTemplate.convert: true in the configuration) to rewrite them as one app-template HelmRelease`, at: { resource: workloads[0] } })
      return
    }
    const version = ctx.config.appTemplate.version ?? DEFAULT_APP_TEMPLATE_VERSION
    const conversions = dirs
      .map((dir) => convertRawApp(ctx.ws, dir, { release: ctx.app.name, chartVersion: version, routes: { gateways: gatewayTargets(ctx.config.gateways), variables: (f) => variablesFor(ctx, f) } }))
      .filter((c) => c.isRaw)
    if (conversions.length > 1) {
      ctx.report({ rule: 'several-kustomizations', severity: 'error', message: `workloads are spread over ${conversions.length} Kustomizations (${conversions.map((c) => c.raw.dir).join(', ')}); one HelmRelease named ${ctx.app.name} cannot hold them`, at: { resource: workloads[0] } })
      return
    }
    if (conversions.length === 1) convert(ctx, conversions[0], version)
  },
})

/** Folders of the app's Flux Kustomizations, where they are now. */
function kustomizationDirs(ctx: TransformContext): string[] {
  const { app } = ctx
  return app.kustomizations
    .map((k) => k.dir)
    .filter((d): d is string => d !== undefined)
    .map((d) => (app.root !== app.legacyDir && paths.isWithin(d, app.legacyDir) ? app.toTarget(d) : d))
    .filter((d) => ctx.ws.isDir(d))
}

function convert(ctx: TransformContext, c: Conversion & { ok(): boolean }, version: string): void {
  const { raw, result } = c
  const at = (index: number, path: readonly (string | number)[] = []) => ({ resource: raw.resources[index], path })
  const helmrelease = `${raw.dir}/helmrelease.yaml`
  const ocirepository = `${raw.dir}/ocirepository.yaml`
  const consumed = new Set<Resource>(result.consumed.map((i) => raw.resources[i]))
  const texts: [string, string][] = result.values
    ? [
        [helmrelease, printNewFile([{ value: helmRelease(ctx.app.name, result.values), commentBefore: HR_SCHEMA }])],
        [ocirepository, printNewFile([{ value: ociRepository(ctx.app.name, version), commentBefore: OCI_SCHEMA }])],
      ]
    : []
  const plan = planRemoval(ctx, raw, consumed)
  const problems: Report[] = [
    ...result.findings.filter((f) => f.severity === 'error').map((f) => ({ rule: f.rule, severity: 'error' as const, message: f.message, hint: f.hint, at: f.at ? at(f.at.index, f.at.path) : { resource: raw.resources[0] } })),
    ...raw.problems.map((p) => ({ rule: 'kustomize', severity: 'error' as const, message: p.message, at: p.resource ? { resource: p.resource, path: p.path } : { file: p.file.origin, span: p.file.yaml?.docs[0]?.span(p.path) } })),
    ...c.unexplained.map((d) => ({ rule: 'model-difference', severity: 'error' as const, message: `the app-template rendering differs: ${d.message}`, hint: 'please report this; the app stays raw', at: at(d.at.index, d.at.path) })),
    ...c.unmodelled.map((u) => ({ rule: 'unmodelled', severity: 'error' as const, message: `values key ${u} is not covered by the rendering model`, at: at(0) })),
    ...plan.problems.map((p) => ({ rule: 'shared-manifests', severity: 'error' as const, message: p.message, at: { file: p.file.origin } })),
    // The same content is a previous run's output; a different one is the user's work (kept unless --force).
    ...texts.filter(([p, text]) => !ctx.options.force && ctx.ws.exists(p) && ctx.ws.file(p)!.after !== text).map(([p]) => ({ rule: 'target-exists', severity: 'error' as const, message: `${p} already exists and differs`, hint: 'merge by hand, or rerun with --force to overwrite it', at: { file: p } })),
  ]
  if (problems.length > 0 || !result.values) {
    for (const p of problems) ctx.report(p)
    ctx.report({ rule: 'stays-raw', severity: 'error', message: `the app stays raw: ${problems.length} problem(s) keep its workloads from becoming an app-template HelmRelease`, hint: 'fix them, or rerun with --no-to-app-template to migrate the app with its raw manifests', at: at(result.consumed[0] ?? 0) })
    return
  }
  // Report before editing: removed documents lose their positions.
  for (const f of result.findings) ctx.report({ rule: f.rule, severity: f.severity, message: f.message, hint: f.hint, loss: f.loss, at: f.at ? at(f.at.index, f.at.path) : { file: raw.kustomization?.origin ?? raw.dir } })
  for (const r of consumed) if (r.ref.kind === 'Ingress') reportLostComments(ctx, commentLines(r.doc.source ?? ''), `Ingress ${r.ref.name}`, { resource: r, path: [] })
  for (const r of raw.respelled) if (consumed.has(r.resource)) ctx.report({ rule: 'respelled', severity: 'info', message: `${r.source} is written as ${String(r.value)}, the value Kubernetes read`, at: { resource: r.resource, path: r.path } })
  ctx.report({ rule: 'converted', severity: 'info', message: `${result.consumed.length} manifest(s) become HelmRelease ${ctx.app.name} (app-template ${version}, ${helmrelease})`, at: at(result.consumed[0]) })
  reportOutsideReferences(ctx, result.renamedServices)
  for (const k of result.kept) for (const e of k.edits) raw.resources[k.index].doc.set(e.path, e.value)
  dropImages(ctx, raw, result.imagesUsed)
  unhashGenerators(ctx, raw, result.unhash)
  // Without a kustomization.yaml, Flux generates one of every manifest in the folder: the new files join by being there.
  const doc = raw.kustomization?.yaml?.docs[0]
  for (const c of plan.copies) {
    ctx.report({ rule: 'shared-copied', severity: 'warning', message: `${c.from.path} is shared and only part of it converts: the rest is copied into the app as ${c.to}`, hint: 'the shared folder stays for anything else that uses it', at: { file: c.from.origin } })
    ctx.ws.write(c.to, c.text, c.from.origin)
  }
  if (doc) {
    const fromResources = plan.entries.filter((e) => e.key === 'resources' && e.replace.length === 0).map((e) => e.index)
    const first = fromResources.length > 0 ? Math.min(...fromResources) : doc.length(['resources'])
    for (const e of plan.entries) {
      doc.delete([e.key, e.index])
      e.replace.forEach((r, j) => doc.push([e.key], r, e.index + j))
    }
    if (doc.has(['bases']) && doc.length(['bases']) === 0) doc.delete(['bases'])
    doc.push(['resources'], './helmrelease.yaml', first)
    doc.push(['resources'], './ocirepository.yaml', first + 1)
  }
  for (const f of plan.files) ctx.ws.delete(f.path)
  for (const { file, doc: d } of plan.docs) file.yaml!.removeDocument(d)
  for (const [p, text] of texts) ctx.ws.write(p, text)
}

function helmRelease(name: string, values: unknown): unknown {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name },
    spec: {
      interval: '1h',
      chartRef: { kind: 'OCIRepository', name },
      install: { remediation: { retries: -1 } },
      upgrade: { cleanupOnFail: true, remediation: { retries: 3 } },
      values,
    },
  }
}

/** app-template moved to ghcr.io/bjw-s-labs in 2025; 3.7.3 was pushed to both, older versions only to ghcr.io/bjw-s. */
function ociRepository(name: string, version: string): unknown {
  const [maj, min, patch] = version.replace(/^v/, '').split('.').map(Number)
  const labs = maj > 3 || (maj === 3 && (min > 7 || (min === 7 && patch >= 3)))
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'OCIRepository',
    metadata: { name },
    spec: {
      interval: '1h',
      layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
      ref: { tag: version },
      url: labs ? 'oci://ghcr.io/bjw-s-labs/helm/app-template' : 'oci://ghcr.io/bjw-s/helm/app-template',
    },
  }
}
