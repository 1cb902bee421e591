import { readAnnotations, stringMap } from './annotations.ts'
import { ValuesServices } from './app-template-services.ts'
import type { Backend } from './backends.ts'
import type { SourcedEntry } from './canary.ts'
import { addDefaultBackend, routeLabels } from './convert.ts'
import { ruleFields } from './emit.ts'
import { checkDnsTarget, checkHosts, chooseGateway, parentRef } from './gateway.ts'
import { normalizeHost } from './hosts.ts'
import { convertPath } from './paths.ts'
import { hostPath, planRoutes, type PlannedRoute } from './plan.ts'
import { asArray, asRecord, asText, code, Reporter } from './report.ts'
import type { AppTemplateContext, FindingPath, IngressFinding, ParentRef, RouteFilter, RouteMatch, RouteTimeouts } from './types.ts'

/** A backendRef in app-template values: `identifier` (4.x+) or a `name` (3.x tries it as an identifier first). */
export interface AppTemplateBackendRef {
  identifier?: string
  name?: string
  port: number
  weight?: number
}

export interface AppTemplateRule {
  matches?: RouteMatch[]
  filters?: RouteFilter[]
  backendRefs?: AppTemplateBackendRef[]
  timeouts?: RouteTimeouts
}

/** One `values.route.<id>`. */
export interface AppTemplateRoute {
  annotations?: Record<string, string>
  labels?: Record<string, string>
  hostnames: string[]
  parentRefs: ParentRef[]
  rules?: AppTemplateRule[]
}

/** Result of {@link convertAppTemplateIngress}. */
export interface AppTemplateResult {
  /** The new `values.route` entries, by id. */
  route: Record<string, AppTemplateRoute>
  findings: IngressFinding[]
  /** Key paths (inside `values`) of ingress keys with no counterpart in the route. */
  dropped: FindingPath[]
}

const KNOWN = new Set(['enabled', 'className', 'annotations', 'labels', 'hosts', 'tls', 'defaultBackend'])

function chartMajor(version: string): number | undefined {
  const m = /^v?(\d+)\./.exec(version.trim())
  return m ? Number(m[1]) : undefined
}

function readHosts(ing: Record<string, unknown>, services: ValuesServices, major: number, b: ReturnType<typeof readAnnotations>, ctx: AppTemplateContext, r: Reporter) {
  const entries: SourcedEntry[] = []
  const hosts: (string | null)[] = []
  const broken = new Set<string | null>()
  asArray(ing.hosts).forEach((raw, i) => {
    const h = asRecord(raw) ?? {}
    const at: FindingPath = ['hosts', i]
    const rawHost = asText(h.host)
    const host = rawHost === undefined || rawHost === '' ? null : normalizeHost(rawHost, r, [...at, 'host'], ctx.resolve)
    if (host === undefined) return
    if (host === null) r.warn('host-missing', at, 'a host entry without `host`: its route gets no hostnames and takes every host its listener accepts', { loss: true })
    if (!hosts.includes(host)) hosts.push(host)
    asArray(h.paths).forEach((rawPath, j) => {
      const p = asRecord(rawPath) ?? {}
      const pat: FindingPath = [...at, 'paths', j]
      const conv = convertPath(asText(p.pathType) ?? 'Prefix', asText(p.path), b, r, pat)
      const backend = services.resolve(p.service, major, r, [...pat, 'service'])
      if (!conv || !backend) return void broken.add(host)
      entries.push({ host, match: { path: conv.match }, backends: [backend], rewrite: conv.rewrite, at: pat, rawPath: asText(p.path) || '/' })
    })
  })
  for (const h of broken) r.error('host-not-converted', ['hosts'], `${h === null ? 'the entries without host are' : `host ${code(h)} is`} not converted, since a partial route would send some of its paths elsewhere`, { loss: true })
  return { entries: entries.filter((e) => !broken.has(e.host)), hosts: hosts.filter((h) => !broken.has(h)) }
}

function backendRef(b: Backend, major: number): AppTemplateBackendRef {
  const ref: AppTemplateBackendRef = b.identifier === undefined ? { name: b.service, port: b.port } : major >= 4 ? { identifier: b.identifier, port: b.port } : { name: b.identifier, port: b.port }
  if (b.weight !== undefined) ref.weight = b.weight
  return ref
}

/** With one Service, app-template 4.x+ renders a missing `rules` as `PathPrefix /` to its primary port. */
function chartDefaultsIdentically(plans: PlannedRoute[], services: ValuesServices, major: number): boolean {
  if (major < 4 || plans.length !== 1 || plans[0].rules.length !== 1 || services.enabled.length !== 1) return false
  const [rule] = plans[0].rules
  const id = services.enabled[0]
  const root = rule.matches.every((m) => m.path.type === 'PathPrefix' && m.path.value === '/' && !m.headers)
  const [b] = rule.backends
  return root && rule.filters.length === 0 && !rule.timeouts && rule.backends.length === 1 && b.identifier === id && b.weight === undefined && b.port === services.primaryPort(id)
}

function convertOne(id: string, ing: Record<string, unknown>, services: ValuesServices, major: number, ctx: AppTemplateContext, r: Reporter, out: AppTemplateResult): void {
  const at: FindingPath = ['ingress', id]
  for (const key of Object.keys(ing).filter((k) => !KNOWN.has(k))) {
    r.warn('key-not-converted', [key], `\`${key}\` has no counterpart in \`route\`; not converted`, { loss: true })
    out.dropped.push([...at, key])
  }
  const b = readAnnotations(ing.annotations, ['annotations'], r, ctx)
  if (ing.annotations !== undefined && Object.keys(b.routeAnnotations).length === 0) out.dropped.push([...at, 'annotations'])
  const className = asText(ing.className) ?? b.classAnnotation
  if (ing.className !== undefined) {
    r.info('class-dropped', ['className'], '`className` dropped: it chose the gateway')
    out.dropped.push([...at, 'className'])
  }
  if (ing.tls !== undefined) {
    r.info('tls-dropped', ['tls'], '`tls` dropped: TLS is terminated by the Gateway listener and its certificate')
    out.dropped.push([...at, 'tls'])
  }
  const gateway = chooseGateway({ className, classPath: ing.className !== undefined ? ['className'] : [], annotations: stringMap(ing.annotations) }, ctx, r)
  if (b.canary) r.error('canary-unsupported', ['annotations'], 'canary ingresses of app-template values are not converted', { loss: true })
  const { entries, hosts } = readHosts(ing, services, major, b, ctx, r)
  const defaultOk = ing.defaultBackend === undefined || addDefaultBackend(ing.defaultBackend, ['defaultBackend'], undefined, entries, hosts, [], r)
  if (!gateway || b.blocking || b.canary || !defaultOk || entries.length === 0) {
    if (entries.length === 0 && defaultOk) r.warn('no-rules', ['hosts'], 'no convertible host; no route emitted')
    return
  }
  const plans = planRoutes(entries, b, r, ['hosts'])
  checkDnsTarget(b, gateway.target, r)
  checkHosts([...new Set(plans.flatMap((p) => p.hostnames))], gateway.target, r, (h) => hostPath(entries, h))
  const omit = chartDefaultsIdentically(plans, services, major)
  if (omit) r.info('rules-omitted', ['hosts'], `\`rules\` omitted: with one Service, app-template ${major}.x routes \`/\` to its primary port by itself`)
  else if (major < 4) {
    const upgrade = chartDefaultsIdentically(plans, services, 4) ? { hint: 'after an upgrade to app-template 4.x these `rules` can go: with one Service the chart routes `/` to its primary port itself' } : {}
    r.info('rules-kept', ['hosts'], '`rules` written out: app-template 3.x renders a route without `rules` with no backends', upgrade)
  }
  const labels = routeLabels(ing.labels, ['labels'], ctx.resolve, r)
  for (const plan of plans) {
    const route = {} as AppTemplateRoute
    if (Object.keys(b.routeAnnotations).length > 0) route.annotations = { ...b.routeAnnotations }
    if (Object.keys(labels).length > 0) route.labels = { ...labels }
    route.hostnames = plan.hostnames
    route.parentRefs = [parentRef(gateway.target)]
    if (!omit) route.rules = plan.rules.map((rule) => ruleFields(rule, (x) => backendRef(x, major)))
    out.route[plan.suffix === undefined ? id : `${id}-${plan.suffix}`] = route
  }
}

/**
 * Converts bjw-s app-template `values.ingress.<id>` entries to `values.route.<id>` entries under the semantics of
 * the chart version in `ctx` (3.x: backendRef `name`, `rules` always written; 4.x+: `identifier`, `rules` omitted
 * only when the chart's own default routes identically). Ports are always integers, `parentRefs.namespace` always
 * written. Disabled ingresses are reported and skipped.
 */
export function convertAppTemplateIngress(values: unknown, ctx: AppTemplateContext): AppTemplateResult {
  const vals = asRecord(values) ?? {}
  const out: AppTemplateResult = { route: {}, findings: [], dropped: [] }
  const major = chartMajor(ctx.chartVersion)
  const root = new Reporter('app-template values')
  if (major === undefined || major < 3) {
    root.error('chart-version-unsupported', [], `chart version ${code(ctx.chartVersion)} is not app-template 3.x or later; not converted`)
    return { ...out, findings: root.findings }
  }
  const services = new ValuesServices(vals.service)
  for (const [id, raw] of Object.entries(asRecord(vals.ingress) ?? {})) {
    const r = new Reporter(`app-template ingress ${code(id)}`, ['ingress', id], root.findings)
    const ing = asRecord(raw) ?? {}
    if (asText(ing.enabled)?.toLowerCase() === 'false') {
      r.info('ingress-disabled', ['enabled'], 'disabled; no route emitted')
      continue
    }
    convertOne(id, ing, services, major, ctx, r, out)
  }
  return { ...out, findings: root.findings }
}
