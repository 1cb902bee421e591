/**
 * Other charts' `values.ingress` (the `helm create` shape: `enabled`, `className`, `annotations`, `hosts[]{host,
 * paths[]}` or `rules[]`, `tls`). REFERENCE documents no chart besides app-template with route values of its own,
 * so every other chart gets the fallback: its ingress is disabled in place and an HTTPRoute manifest to the Service
 * the chart renders (by the `helm create` naming convention, with a warning to check it) goes beside the release.
 */
import { convertIngress, makeResolver, type KeyPath, type Resource, type TransformContext } from '../../src/transform-api.ts'
import { releaseOf, type GatewayTargets } from './route-charts.ts'
import { hasErrors, reportFindings, variablesFor } from './route-context.ts'
import { listRouteFile, printRoutes, routeFilePath } from './route-files.ts'

const ING = ['spec', 'values', 'ingress']
type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/** The Service `helm create` charts render: `fullnameOverride`, else the release name, suffixed with the chart's name unless it contains it. */
function serviceName(values: Obj, release: string, chart: string): string {
  const full = text(values.fullnameOverride)
  if (full) return full.slice(0, 63).replace(/-+$/, '')
  const name = text(values.nameOverride) ?? chart
  const out = release.includes(name) ? release : `${release}-${name}`
  return out.slice(0, 63).replace(/-+$/, '')
}

/** The values as an Ingress the converter reads, and a map from its key paths back to the values'. */
function asIngress(ing: Obj, name: string, service: { name: string; port: number }): { ingress: Obj; map: (p: KeyPath) => KeyPath } | undefined {
  const hostsKey = Array.isArray(ing.hosts) ? 'hosts' : Array.isArray(ing.rules) ? 'rules' : undefined
  if (!hostsKey) return undefined
  const classKey = ['className', 'ingressClassName', 'class'].find((k) => ing[k] !== undefined)
  const backend = { service: { name: service.name, port: { number: String(service.port) } } }
  const rules = (ing[hostsKey] as unknown[]).map((h) => {
    // `hosts: [name]` with a shared `path`, or `hosts: [{host, paths: [path | {path, pathType}]}]`.
    const entry = isObj(h) ? h : { host: h, paths: [ing.path ?? '/'] }
    const paths = (Array.isArray(entry.paths) ? entry.paths : ['/']).map((p) => {
      const o: Obj = isObj(p) ? p : { path: p }
      return { path: text(o.path) ?? '/', pathType: text(o.pathType) ?? text(ing.pathType) ?? 'ImplementationSpecific', backend }
    })
    return { host: entry.host, http: { paths } }
  })
  const spec: Obj = { rules }
  if (classKey) spec.ingressClassName = ing[classKey]
  if (ing.tls !== undefined) spec.tls = ing.tls
  const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, annotations: ing.annotations, labels: ing.labels }, spec }
  const map = (p: KeyPath): KeyPath => {
    const [a, b, i, c, d, j] = p
    if (a === 'metadata' && (b === 'annotations' || b === 'labels')) return p.slice(1)
    if (a !== 'spec') return []
    if (b === 'ingressClassName') return [classKey!]
    if (b === 'tls') return p.slice(1)
    if (b !== 'rules' || i === undefined) return [hostsKey]
    if (c === 'host') return isObj((ing[hostsKey] as unknown[])[i as number]) ? [hostsKey, i, 'host'] : [hostsKey, i]
    return c === 'http' && d === 'paths' && j !== undefined && isObj((ing[hostsKey] as unknown[])[i as number]) ? [hostsKey, i, 'paths', j] : [hostsKey, i]
  }
  return { ingress, map }
}

/** Converts another chart's ingress values; returns 1 when a route was written. */
export function convertChartValues(ctx: TransformContext, hr: Resource, chart: string, gateways: GatewayTargets): number {
  const values = hr.doc.get(['spec', 'values']) as Obj
  const ing = values.ingress as Obj
  const at = (path: KeyPath = []) => ({ resource: hr, path: [...ING, ...path] })
  const enabled = text(ing.enabled)?.toLowerCase()
  if (enabled === 'false') {
    ctx.report({ rule: 'chart-ingress-disabled', severity: 'info', message: `chart ${chart}: \`ingress.enabled\` is false; nothing to convert`, at: at(['enabled']) })
    return 0
  }
  if (enabled !== 'true') {
    ctx.report({ rule: 'chart-ingress-unknown', severity: 'error', message: `chart ${chart}: \`ingress.enabled\` is not set, so the chart's default decides whether it renders an Ingress; not converted`, hint: 'set `ingress.enabled` to what the chart did, then migrate again', at: at() })
    return 0
  }
  const release = releaseOf(ctx, hr)
  const port = text((values.service as Obj | undefined)?.port)
  const service = { name: serviceName(values, release.name, chart), port: Number(port) }
  const shape = /^\d{1,5}$/.test(port ?? '') ? asIngress(ing, release.name, service) : undefined
  if (!shape) {
    const why = /^\d{1,5}$/.test(port ?? '') ? 'has neither `hosts` nor `rules`' : 'gives no numeric `service.port` for the backend'
    ctx.report({ rule: 'chart-ingress-unknown', severity: 'error', message: `chart ${chart}: the ingress values ${why}; not converted`, hint: 'write an HTTPRoute by hand and set `ingress.enabled: false`', loss: true, at: at() })
    return 0
  }
  const variables = variablesFor(ctx, hr.file)
  const named = makeResolver({ variables })(release.name)
  const resolve = makeResolver({ variables, release: { ...release, name: 'value' in named ? named.value : release.name } })
  const res = convertIngress(shape.ingress, { gateways, resolve })
  reportFindings(ctx, res.findings, hr, ING, shape.map)
  if (hasErrors(res.findings) || res.routes.length === 0) {
    ctx.report({ rule: 'ingress-kept', severity: 'info', message: `chart ${chart}: its ingress stays enabled; no route is written`, at: at() })
    return 0
  }
  const printed = printRoutes(res.routes)
  const target = routeFilePath(ctx, hr.file.path, printed)
  ctx.report({
    rule: 'service-name-guessed',
    severity: 'warning',
    message: `chart ${chart} has no route values the migration knows: its ingress is disabled and ${target} routes to Service ${service.name} port ${service.port}, the name and port a \`helm create\` chart renders`,
    hint: 'check the Service name and port with `helm template`; fix the route if the chart names it otherwise',
    at: at(['enabled']),
  })
  hr.doc.set([...ING, 'enabled'], false)
  ctx.ws.write(target, printed)
  listRouteFile(ctx, hr.file.path, target, false)
  return 1
}
