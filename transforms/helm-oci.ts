/**
 * Moves every HelmRelease chart of the app from a central HelmRepository to an OCIRepository of its own:
 * `<folder>/ocirepository.yaml` (named after the HelmRelease, listed in the folder's kustomization),
 * `spec.chart` → `spec.chartRef`, `interval: 1h` and the Chongus install/upgrade settings; adds
 * `reloader.stakater.com/auto` to app-template controllers that read a Secret or ConfigMap; folds kustomize
 * `images:` into the container images they rewrite and removes them.
 *
 * Reports: charts with no known OCI location (an error naming the `charts:` entry to add; the HelmRelease stays
 * unchanged), `chart.spec` fields with no OCIRepository equivalent, relocations, unpinned chart versions and
 * images, `images:` entries that matched nothing, chartRefs that resolve to nothing, HelmRepositories of the app
 * left unused. An OCIRepository the app already holds moves from v1beta2 to v1.
 */
import { defineTransform, paths, planHelmReleaseChart, type ChartFinding, type Resource, type TransformContext, type WFile } from '../src/transform-api.ts'
import { renderedTrees, type Tree } from './lib/app-tree.ts'
import { helmRepositories, type RepositoryIndex } from './lib/helm-repositories.ts'
import { foldImages } from './lib/images.ts'
import { placeOciRepositories, type Planned } from './lib/oci-files.ts'
import { addReloader } from './lib/reloader.ts'
import { reportFinding, rewriteRelease } from './lib/release.ts'

const CHART = ['spec', 'chart']

export default defineTransform({
  id: 'helm-oci',
  description: 'Moves each HelmRelease chart from a central HelmRepository to an OCIRepository of its own (spec.chartRef) and folds kustomize images: into the images.',
  after: ['ks-layout'],
  apply(ctx) {
    const trees = renderedTrees(ctx)
    const rendered = new Set(trees.flatMap((t) => t.resources))
    const all = ctx.resources().filter((r) => trees.length === 0 || rendered.has(r.file.path))
    const shared = sharedResources(ctx, trees)
    const releases = [...all, ...shared].filter((r) => r.ref.kind === 'HelmRelease')
    const local = all.filter((r) => r.ref.kind === 'HelmRepository')
    const wanted = [...new Set(releases.map(sourceName).filter((n) => n !== undefined))]
    const index = wanted.length > 0 ? helmRepositories(ctx, local, wanted) : undefined
    if (index) for (const f of index.unreadable) ctx.report({ rule: 'repository-file-unreadable', severity: 'warning', message: `${f} has YAML errors; HelmRepositories in it are not known`, at: { file: f, span: ctx.ws.file(f)?.yaml?.problems.find((p) => p.severity === 'error')?.span } })
    const groups = new Map<string, Planned[]>()
    const onChart: Resource[] = []
    for (const hr of releases) {
      const plan = planHelmReleaseChart(hr.doc.get([]), index?.repos ?? [], ctx.config.charts)
      for (const f of [...plan.errors, ...plan.dropped, ...plan.notes]) reportFinding(ctx, hr, withConfigHint(f, index), CHART)
      if (plan.status === 'already-migrated') checkChartRef(ctx, hr, [...all, ...shared])
      if (plan.status !== 'migrate') {
        if (hr.doc.has(CHART)) onChart.push(hr)
      } else if (shared.includes(hr)) {
        ctx.report({
          rule: 'shared-helmrelease',
          severity: 'warning',
          message: `HelmRelease ${hr.ref.name} is rendered from ${hr.file.path}, outside the app, and is not migrated`,
          hint: 'copy it into the app folder and run the migration again, or migrate it where it lives',
          at: { resource: hr, path: CHART },
        })
        onChart.push(hr)
      } else {
        const dir = paths.dirname(hr.file.path)
        groups.set(dir, [...(groups.get(dir) ?? []), { hr, plan }])
      }
    }
    const appOci = all.filter((r) => r.ref.kind === 'OCIRepository')
    for (const [dir, planned] of groups) {
      const placed = placeOciRepositories(ctx, trees, dir, planned, appOci)
      for (const p of planned) if (!placed.includes(p)) onChart.push(p.hr)
      for (const { hr, plan } of placed) {
        rewriteRelease(ctx, hr, plan)
        if (/\/app-template$/.test(plan.ociRepository!.spec.url)) addReloader(ctx, hr)
      }
    }
    for (const r of appOci) if (r.ref.apiVersion === 'source.toolkit.fluxcd.io/v1beta2') upgradeOciRepository(ctx, r)
    for (const r of local) if (wanted.includes(r.ref.name) && !onChart.some((hr) => sourceName(hr) === r.ref.name)) reportUnused(ctx, r)
    foldImages(ctx, trees)
  },
})

const sourceName = (hr: Resource) => hr.doc.getString([...CHART, 'spec', 'sourceRef', 'name'])

/** A HelmRepository of the app that no HelmRelease uses any more: Chongus keeps none. */
function reportUnused(ctx: TransformContext, r: Resource): void {
  ctx.report({
    rule: 'helmrepository-unused',
    severity: 'warning',
    message: `no HelmRelease of the app pulls from HelmRepository ${r.ref.name} any more; Chongus has no HelmRepositories`,
    hint: 'delete it, once no other app uses it',
    at: { resource: r },
  })
}

/** An OCIRepository the app already holds: v1beta2 → v1, the same schema since Flux 2.6 (REFERENCE §4). */
function upgradeOciRepository(ctx: TransformContext, r: Resource): void {
  ctx.report({
    rule: 'ocirepository-v1',
    severity: 'info',
    message: `OCIRepository ${r.ref.name}: source.toolkit.fluxcd.io/v1beta2 → v1 (same schema; v1beta2 is deprecated)`,
    hint: /v1beta2/.test(r.doc.commentBefore ?? '') ? 'point its schema comment at the v1 schema' : undefined,
    at: { resource: r, path: ['apiVersion'] },
  })
  r.doc.set(['apiVersion'], 'source.toolkit.fluxcd.io/v1')
}

/** Resources the app renders from files outside its folder (a shared legacy folder listed as a resource). */
function sharedResources(ctx: TransformContext, trees: readonly Tree[]): Resource[] {
  const outside = [...new Set(trees.flatMap((t) => t.resources))].filter((p) => !paths.isWithin(p, ctx.app.root))
  return ctx.ws.resources(outside.map((p) => ctx.ws.file(p)).filter((f): f is WFile => f !== undefined))
}

/** With no HelmRepository found at all, the fix is the folders to search, not the reference. */
function withConfigHint(f: ChartFinding, index: RepositoryIndex | undefined): ChartFinding {
  if (f.rule !== 'helmrepository-not-found' || !index || index.repos.length > 0) return f
  return { ...f, hint: `no HelmRepository was found under ${index.dirs.join(', ')}: set legacy.repositories in .bitty2chongus.yaml to the folders that hold them` }
}

/** An already-migrated release: its chartRef should name an OCIRepository of the app. */
function checkChartRef(ctx: TransformContext, hr: Resource, all: readonly Resource[]): void {
  const name = hr.doc.getString(['spec', 'chartRef', 'name'])
  const ns = hr.doc.getString(['spec', 'chartRef', 'namespace'])
  const at = { resource: hr, path: ['spec', 'chartRef'] }
  if (ns !== undefined && ns !== hr.ref.namespace) {
    ctx.report({
      rule: 'shared-ocirepository',
      severity: 'warning',
      message: `spec.chartRef points at OCIRepository ${ns}/${name}, outside the app; Chongus gives every app an OCIRepository of its own`,
      hint: 'copy that OCIRepository into the app as ocirepository.yaml, named after the HelmRelease, and drop chartRef.namespace',
      at,
    })
    return
  }
  const known = all.filter((r) => r.ref.kind === 'OCIRepository').map((r) => r.ref.name)
  if (name === undefined || known.includes(name)) return
  ctx.report({
    rule: 'chartref-unresolved',
    severity: 'warning',
    message: `spec.chartRef names OCIRepository ${name}, which the app does not define${known.length > 0 ? ` (it defines ${known.join(', ')})` : ''}`,
    hint: 'Flux cannot install the release until the name resolves: fix chartRef.name or add the OCIRepository',
    at,
  })
}
