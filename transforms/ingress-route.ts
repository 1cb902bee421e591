/**
 * Replaces the app's Ingresses by Gateway API routes, through the same converter as `ingress2route`:
 *
 * - bjw-s app-template `values.ingress.<id>` → `values.route.<id>` in place (the id is kept), for the chart
 *   version the release runs (`chart.spec.version`, or the `ref.tag` of the OCIRepository its chartRef names);
 * - raw `networking.k8s.io/v1` Ingresses → one HTTPRoute each, in a route file beside theirs (`ingress.yaml` →
 *   `httproute.yaml`) that takes their place in the folder's kustomization;
 * - other charts' `values.ingress` → the chart's ingress disabled and an HTTPRoute manifest beside the release.
 *
 * Hosts are read as the legacy cluster rendered them: the configured cluster variables, the app Kustomization's
 * own `postBuild.substitute` and Helm's release name; an unresolved variable is an error, never a literal `${VAR}`.
 * Lost: TLS blocks, ingress classes and cert-manager keys (the gateway terminates TLS), annotations with no Gateway
 * API equivalent and the Ingress's comments, each reported. An Ingress whose conversion has errors stays, and the
 * error says why.
 */
import { defineTransform, gatewayTargets, paths, type Resource, type TransformContext } from '../src/transform-api.ts'
import { chartOf } from './lib/route-charts.ts'
import { convertChartValues } from './lib/route-chart-values.ts'
import { convertManifests } from './lib/route-manifests.ts'
import { convertAppTemplateValues } from './lib/route-values.ts'

const APP_TEMPLATE = 'app-template'

export default defineTransform({
  id: 'ingress-route',
  description: 'Replaces Ingresses by Gateway API HTTPRoutes: app-template route values, raw HTTPRoute manifests, routes beside other charts.',
  after: ['ks-layout'],
  apply(ctx) {
    const gateways = gatewayTargets(ctx.config.gateways)
    convertManifests(ctx, gateways)
    for (const hr of ctx.resources({ kind: 'HelmRelease' })) {
      reportNestedIngress(ctx, hr)
      if (!hr.doc.isMap(['spec', 'values', 'ingress']) || hr.doc.keys(['spec', 'values', 'ingress']).length === 0) continue
      const chart = chartOf(ctx, hr)
      if (chart.problem !== undefined || chart.name === undefined) {
        ctx.report({
          rule: 'chart-unknown',
          severity: 'error',
          message: `HelmRelease ${hr.ref.name} has ingress values, but ${chart.problem ?? 'its chart has no name'}: they are not converted`,
          hint: 'migrate the chart source first, or write the route by hand',
          at: { resource: hr, path: chart.at },
        })
      } else if (chart.name === APP_TEMPLATE) {
        convertAppTemplateValues(ctx, hr, chart.version ?? '', gateways)
      } else {
        convertChartValues(ctx, hr, chart.name, gateways)
      }
    }
    reportValuesFiles(ctx)
    reportSharedIngresses(ctx)
  },
})

/**
 * Ingresses the app renders from shared legacy files (not carried into the app folder) are not the app's to
 * rewrite; they are errors, since Chongus has no ingress controller to serve them.
 */
function reportSharedIngresses(ctx: TransformContext): void {
  const root = ctx.app.root
  // Deleted files count too: an Ingress file this transform replaced was carried.
  // (Only files of this run can be in the app's new folder.)
  const carried = new Set(ctx.ws.recent().filter((f) => paths.isWithin(f.path, root)).map((f) => f.origin))
  const shared = new Set(ctx.app.kustomizations.flatMap((k) => k.tree?.resources ?? []).filter((p) => !paths.isWithin(p, root) && !carried.has(p)))
  for (const r of ctx.ws.resources([...shared].map((p) => ctx.ws.file(p)).filter((f) => f !== undefined))) {
    if (r.ref.kind !== 'Ingress') continue
    ctx.report({
      rule: 'shared-ingress',
      severity: 'error',
      message: `Ingress ${r.ref.name} comes from the shared legacy file ${r.file.path}, which the migration does not rewrite; Chongus would get it as an Ingress`,
      hint: 'copy it into the app folder (or convert it with `bitty2chongus ingress2route`) and reference the route instead',
      at: { resource: r, path: [] },
    })
  }
}

/** Subcharts' ingress values (`grafana.ingress`...) are not read; each enabled one is reported. */
function reportNestedIngress(ctx: TransformContext, hr: Resource): void {
  const visit = (v: unknown, path: string[]): void => {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || path.length > 6) return
    for (const [k, x] of Object.entries(v)) {
      const at = [...path, k]
      const enabled = typeof x === 'object' && x !== null && (x as Record<string, unknown>).enabled
      if (k === 'ingress' && path.length > 0 && typeof x === 'object' && x !== null && String(enabled).toLowerCase() !== 'false') {
        ctx.report({
          rule: 'nested-ingress-values',
          severity: 'warning',
          message: `HelmRelease ${hr.ref.name}: \`${at.join('.')}\` configures an ingress of a subchart or component, which the migration does not convert`,
          hint: 'disable it and add an HTTPRoute by hand (or use the chart’s route values)',
          loss: true,
          at: { resource: hr, path: ['spec', 'values', ...at] },
        })
      } else visit(x, at)
    }
  }
  visit(hr.doc.get(['spec', 'values']), [])
}

/**
 * Helm values kept in files (for `valuesFrom` ConfigMaps), in the app or in shared legacy folders it builds, are
 * not resources the migration edits; an `ingress` section in one of them is reported so it is not left behind
 * unnoticed.
 */
function reportValuesFiles(ctx: TransformContext): void {
  const files = new Map(ctx.files().map((f) => [f.origin, f]))
  for (const p of ctx.app.kustomizations.flatMap((k) => [...(k.tree?.inputs ?? []), ...(k.tree?.resources ?? [])])) {
    const f = files.has(p) ? undefined : ctx.ws.file(p)
    if (f) files.set(p, f)
  }
  for (const file of files.values()) {
    const y = file.yaml
    if (!y || y.hasErrors) continue
    for (const doc of y.docs) {
      if (!doc.isMap(['ingress']) || doc.has(['apiVersion']) || doc.getString(['ingress', 'enabled'])?.toLowerCase() === 'false') continue
      ctx.report({
        rule: 'values-file-ingress',
        severity: 'warning',
        message: `${file.origin} looks like Helm values with an \`ingress\` section; values files are not converted, so the chart may still render an Ingress`,
        hint: 'disable that ingress and add an HTTPRoute (or the chart’s route values) by hand',
        loss: true,
        at: { file, span: doc.span(['ingress']) },
      })
    }
  }
}
