/**
 * A raw Ingress of an app whose workloads become a bjw-s app-template release → `values.route.<id>` entries. The
 * Ingress goes through {@link convertIngress} (so every annotation, path and host is handled and reported exactly as
 * for a raw HTTPRoute); its routes are then written as app-template values whose backendRefs name the release's
 * Services by identifier, so they follow the chart's naming.
 */
import { commonLabels } from '../apptemplate/naming.ts'
import type { AppTemplateBackendRef, AppTemplateRoute, AppTemplateRule } from './app-template.ts'
import { convertIngress } from './convert.ts'
import { Reporter, code } from './report.ts'
import type { BackendRef, HTTPRoute, IngressContext, IngressFinding } from './types.ts'

/** A Service of the release, as the route values refer to it. */
export interface ReleaseService {
  /** Key under `service:`. */
  identifier: string
  /** The name app-template gives the Service. */
  name: string
  /** Port name → port number. */
  ports: Readonly<Record<string, number>>
}

/** Context of {@link ingressToAppTemplateRoutes}. */
export interface RawAppTemplateContext extends IngressContext {
  /** bjw-s app-template chart version of the release (`3.7.3`, `4.4.0`). */
  chartVersion: string
  /** The release name (a route named after it becomes `route.app`). */
  release: string
  /** The release's Service that had this name before the conversion, if any. */
  service(originalName: string): ReleaseService | undefined
  /** Identifiers of every Service the release renders. */
  identifiers: readonly string[]
}

/** Result of {@link ingressToAppTemplateRoutes}. */
export interface RawAppTemplateResult {
  /** `values.route` entries by id (empty when the conversion has errors). */
  routes: Record<string, AppTemplateRoute>
  findings: IngressFinding[]
  /**
   * What each route must render to: the HTTPRoute the ingress converter made, with every backend Service named as
   * the chart names it (for the equivalence check).
   */
  expected: Record<string, HTTPRoute>
}

const major = (version: string) => Number(/^v?(\d+)/.exec(version)?.[1] ?? 4)

/** The route id: `app` for a route named after the release, else its name without the release prefix. */
function routeId(name: string, release: string): string {
  if (name === release) return 'app'
  return name.startsWith(`${release}-`) && name.length > release.length + 1 ? name.slice(release.length + 1) : name
}

/**
 * With one Service, app-template 4.x+ renders a route without `rules` as one rule to that Service's primary port
 * (`PathPrefix /`): the rules are left out when they say exactly that, as the owner writes such routes.
 */
function chartDefault(route: HTTPRoute, target: ReleaseService | undefined, ctx: RawAppTemplateContext): boolean {
  if (major(ctx.chartVersion) < 4 || ctx.identifiers.length !== 1 || !target || route.spec.rules.length !== 1) return false
  const [rule] = route.spec.rules
  const ports = Object.values(target.ports)
  const root = (rule.matches ?? []).every((m) => m.path.type === 'PathPrefix' && m.path.value === '/' && !m.headers)
  const b = rule.backendRefs ?? []
  return root && !rule.filters?.length && !rule.timeouts && b.length === 1 && b[0].weight === undefined && ports.length === 1 && b[0].port === ports[0]
}

/**
 * Converts one raw Ingress to app-template route values for the release in `ctx`. Backends that are Services of the
 * release are named by identifier (4.x: `identifier`; 3.x: `name`, which the chart tries as an identifier first),
 * others literally; ports are always numbers. Findings are located in the Ingress. With errors, no route is given.
 */
export function ingressToAppTemplateRoutes(ingress: unknown, ctx: RawAppTemplateContext): RawAppTemplateResult {
  const res = convertIngress(ingress, ctx)
  const out: RawAppTemplateResult = { routes: {}, findings: res.findings, expected: {} }
  const name = (ingress as { metadata?: { name?: unknown } })?.metadata?.name
  const r = new Reporter(`Ingress ${String(name)}`, [], out.findings)
  const v4 = major(ctx.chartVersion) >= 4
  // The chart sets its own labels on every resource: those keys are left to it, and another value under one is lost.
  const chart = commonLabels(ctx.release, ctx.chartVersion)
  const labels = (ingress as { metadata?: { labels?: Record<string, unknown> } })?.metadata?.labels ?? {}
  const dropped = Object.keys(chart).filter((k) => k in labels)
  for (const k of dropped.filter((x) => String(labels[x]) !== chart[x])) r.info('label-dropped', ['metadata', 'labels', k], `label ${code(k)}: ${String(labels[k])} is dropped: app-template sets ${code(k)}: ${chart[k]} on the route`, { loss: true })
  const keep = (l: Record<string, string> | undefined) => {
    const rest = Object.fromEntries(Object.entries(l ?? {}).filter(([k]) => !dropped.includes(k)))
    return Object.keys(rest).length > 0 ? rest : undefined
  }
  const ids = new Set<string>()
  for (const route of res.routes) {
    const id = routeId(route.metadata.name, ctx.release)
    if (ids.has(id)) r.error('route-clash', ['metadata', 'name'], `two of its routes would both be \`route.${id}\``)
    ids.add(id)
    const backend = (b: BackendRef): AppTemplateBackendRef => {
      const t = ctx.service(b.name)
      let ref: AppTemplateBackendRef
      if (t) ref = v4 ? { identifier: t.identifier, port: b.port } : { name: t.identifier, port: b.port }
      else {
        if (!v4 && ctx.identifiers.includes(b.name)) {
          r.error('backend-ambiguous', ['spec'], `backend Service ${code(b.name)} is not the release's, but app-template 3.x would read the name as the identifier of one of its Services`, { hint: 'rename that Service, or keep the Ingress raw' })
        }
        ref = { name: b.name, port: b.port }
      }
      if (b.weight !== undefined) ref.weight = b.weight
      return ref
    }
    const values: AppTemplateRoute = {} as AppTemplateRoute
    if (route.metadata.annotations) values.annotations = { ...route.metadata.annotations }
    const routeLabels = keep(route.metadata.labels)
    if (routeLabels) values.labels = routeLabels
    if (route.spec.hostnames) values.hostnames = [...route.spec.hostnames]
    values.parentRefs = route.spec.parentRefs.map((p) => ({ ...p }))
    const only = route.spec.rules[0]?.backendRefs?.[0]
    if (chartDefault(route, only && ctx.service(only.name), ctx)) {
      r.info('rules-omitted', ['spec', 'rules'], `route \`${id}\`: \`rules\` omitted, since with one Service app-template ${major(ctx.chartVersion)}.x routes \`/\` to its primary port by itself`)
    } else {
      values.rules = route.spec.rules.map((rule): AppTemplateRule => {
        const x: AppTemplateRule = {}
        if (rule.matches) x.matches = rule.matches
        if (rule.filters) x.filters = rule.filters
        if (rule.backendRefs) x.backendRefs = rule.backendRefs.map(backend)
        if (rule.timeouts) x.timeouts = rule.timeouts
        return x
      })
    }
    out.routes[id] = values
    out.expected[id] = { ...route, metadata: { ...route.metadata, labels: routeLabels }, spec: { ...route.spec, rules: route.spec.rules.map((rule) => (rule.backendRefs ? { ...rule, backendRefs: rule.backendRefs.map((b) => ({ ...b, name: ctx.service(b.name)?.name ?? b.name })) } : rule)) } }
  }
  if (out.findings.some((f) => f.severity === 'error')) return { routes: {}, findings: out.findings, expected: {} }
  return out
}
