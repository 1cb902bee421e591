/** Routing rules: Gateway API only, the internal gateway by default, integer ports, backends the app renders. */
import type { KeyPath } from '../document.ts'
import type { Resource } from '../workspace.ts'
import { enabledItems, chartMajor, isAppTemplate, releaseName, serviceNames } from './app-template.ts'
import type { RuleName } from './rules.ts'
import type { CheckContext } from './context.ts'
import type { AppModel } from './model.ts'

/** The rules this family reports. */
export const ROUTING_RULES = ['ingress', 'gateway-ref', 'internal-gateway', 'backend-port', 'backend-service'] as const satisfies readonly RuleName[]
type RoutingRule = (typeof ROUTING_RULES)[number]

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

/** Every Service name the app renders: raw Services and app-template Services. */
function renderedServices(app: AppModel): Set<string> {
  const out = new Set<string>()
  for (const r of app.resources) {
    if (r.ref.kind === 'Service' && r.ref.apiVersion === 'v1') out.add(r.ref.name)
    if (r.ref.kind === 'HelmRelease' && isAppTemplate(app, r)) for (const n of serviceNames(app, r).values()) out.add(n)
  }
  return out
}

/** Ingress, gateway, backend port and backend Service rules of one app. */
export function routingRules(ctx: CheckContext<RoutingRule>, app: AppModel): void {
  const services = renderedServices(app)
  const known = () => (services.size ? [...services].sort().join(', ') : 'none')
  // A chart other than app-template renders Services this check cannot see: a name it does not know is only doubtful.
  const opaque = app.resources.filter((r) => r.ref.kind === 'HelmRelease' && !isAppTemplate(app, r)).map((r) => r.ref.name)
  for (const r of app.resources) {
    if (r.ref.kind === 'Ingress' && r.ref.apiVersion.startsWith('networking.k8s.io/')) {
      ctx.report(app, { rule: 'ingress', message: `Ingress ${r.ref.name}: Chongus routes with Gateway API`, hint: 'replace it by an HTTPRoute (or app-template route values) on envoy-internal', at: { resource: r } })
    }
    if (r.ref.kind === 'HTTPRoute' && r.ref.apiVersion.startsWith('gateway.networking.k8s.io/')) {
      const spec = r.doc.get(['spec'])
      parentRefs(ctx, app, r, ['spec', 'parentRefs'], list(isObj(spec) ? spec.parentRefs : undefined), true)
      backends(ctx, app, r, ['spec'], isObj(spec) ? spec : {}, (ref, at) => {
        if (ref.kind !== undefined && ref.kind !== 'Service') return
        if (typeof ref.name === 'string' && !services.has(ref.name)) {
          if (opaque.length > 0)
            ctx.report(app, { rule: 'backend-service', severity: 'warning', message: `backendRef ${ref.name} names no Service the app's manifests or app-template values render; HelmRelease ${opaque.join(', ')} may render it`, hint: 'check the Service name the chart renders', at, subject: `backend:${ref.name}` })
          else ctx.report(app, { rule: 'backend-service', message: `backendRef ${ref.name} names no Service of the app (it renders: ${known()})`, hint: 'name one of the Services the app renders', at, subject: `backend:${ref.name}` })
        }
      })
    }
    if (r.ref.kind === 'HelmRelease' && isAppTemplate(app, r)) appTemplate(ctx, app, r, known)
  }
}

function appTemplate(ctx: CheckContext<RoutingRule>, app: AppModel, hr: Resource, known: () => string): void {
  const ids = serviceNames(app, hr)
  const names = new Set(ids.values())
  const major = chartMajor(app, hr)
  for (const [id] of enabledItems(hr, 'ingress')) {
    ctx.report(app, { rule: 'ingress', message: `app-template ingress.${id}: Chongus routes with Gateway API`, hint: 'replace it by route values on envoy-internal', at: { resource: hr, path: ['spec', 'values', 'ingress', id] } })
  }
  for (const [id, route] of enabledItems(hr, 'route')) {
    const base = ['spec', 'values', 'route', id]
    parentRefs(ctx, app, hr, [...base, 'parentRefs'], list(route.parentRefs), false)
    const rules = list(route.rules)
    if (rules.length === 0 && (ids.size !== 1 || major <= 3)) {
      ctx.report(app, {
        rule: 'backend-service',
        message: `route.${id} has no rules and the release has ${ids.size} Service(s): app-template ${major <= 3 ? '3.x renders no backend' : 'cannot pick one'}`,
        hint: `add rules: [{backendRefs: [{identifier: <service id>, port: <number>}]}]`,
        at: { resource: hr, path: base },
        subject: `route:${id}`,
      })
    }
    backends(ctx, app, hr, base, route, (ref, at) => {
      if (typeof ref.identifier === 'string') {
        if (!ids.has(ref.identifier))
          ctx.report(app, { rule: 'backend-service', message: `backendRef identifier ${ref.identifier} is not a service of ${releaseName(hr)} (ids: ${[...ids.keys()].join(', ') || 'none'})`, hint: 'use the id of an enabled service', at, subject: `backend:${ref.identifier}` })
      } else if (typeof ref.name === 'string' && !ref.name.includes('{{') && !names.has(ref.name) && !(major <= 3 && ids.has(ref.name))) {
        ctx.report(app, { rule: 'backend-service', message: `backendRef ${ref.name} names no Service of the app (it renders: ${known()})`, hint: `prefer identifier: <service id>; app-template names Services <release> when there is one, else <release>-<id>`, at, subject: `backend:${ref.name}` })
      }
    })
  }
  for (const [id, sm] of enabledItems(hr, 'serviceMonitor')) {
    const path = ['spec', 'values', 'serviceMonitor', id]
    const svc = isObj(sm.service) ? sm.service : undefined
    const name = typeof sm.serviceName === 'string' ? sm.serviceName : typeof svc?.name === 'string' ? svc.name : undefined
    const ident = typeof svc?.identifier === 'string' ? svc.identifier : undefined
    if (ident !== undefined && !ids.has(ident))
      ctx.report(app, { rule: 'backend-service', message: `serviceMonitor.${id} service identifier ${ident} is not a service of ${releaseName(hr)}`, hint: 'use the id of an enabled service', at: { resource: hr, path: [...path, 'service', 'identifier'] }, subject: `monitor:${id}` })
    if (name !== undefined && !name.includes('{{') && !names.has(name))
      ctx.report(app, {
        rule: 'backend-service',
        message: `serviceMonitor.${id} selects Service ${name}, which the release does not render (it renders: ${[...names].join(', ') || 'none'})`,
        hint: 'use service: {identifier: <service id>}, or the rendered name',
        at: { resource: hr, path: typeof sm.serviceName === 'string' ? [...path, 'serviceName'] : [...path, 'service', 'name'] },
        subject: `monitor:${id}`,
      })
  }
}

function parentRefs(ctx: CheckContext<RoutingRule>, app: AppModel, r: Resource, base: KeyPath, refs: unknown[], raw: boolean): void {
  const { internal, external } = ctx.config.gateways
  refs.forEach((ref, i) => {
    if (!isObj(ref) || (ref.kind !== undefined && ref.kind !== 'Gateway')) return
    const at = { resource: r, path: [...base, i] }
    const gw = ref.name === internal.name ? internal : ref.name === external.name ? external : undefined
    if (!gw) {
      ctx.report(app, { rule: 'gateway-ref', message: `parentRef ${String(ref.name)} is neither ${internal.name} nor ${external.name}`, hint: `name: ${internal.name}, namespace: ${internal.namespace}, sectionName: ${internal.sectionName}`, at })
      return
    }
    const ns = typeof ref.namespace === 'string' ? ref.namespace : raw ? (r.doc.getString(['metadata', 'namespace']) ?? app.namespace) : undefined
    if (ns !== gw.namespace)
      ctx.report(app, {
        rule: 'gateway-ref',
        message: ns === undefined ? `parentRef ${gw.name} has no namespace: app-template 4.x refuses it, and Gateway API would look in the route's namespace` : `parentRef ${gw.name} points at namespace ${ns}, not ${gw.namespace}${typeof ref.namespace === 'string' ? '' : ' (a route defaults to its own namespace)'}`,
        hint: `namespace: ${gw.namespace}`,
        at,
      })
    if (typeof ref.sectionName === 'string' && ref.sectionName !== gw.sectionName)
      ctx.report(app, { rule: 'gateway-ref', message: `parentRef ${gw.name} sectionName ${ref.sectionName}: the listener is ${gw.sectionName} (a wrong one leaves the route unattached, silently)`, hint: `sectionName: ${gw.sectionName}`, at: { resource: r, path: [...base, i, 'sectionName'] } })
    if (gw === external && !ctx.isExternal(app))
      ctx.report(app, {
        rule: 'internal-gateway',
        message: `route attaches to ${external.name}: the app is reachable from the internet`,
        hint: `use ${internal.name} unless the app must be public; if it must, list ${app.namespace}/${app.name} in check.external of .bitty2chongus.yaml`,
        at,
      })
  })
}

/** Calls `each` for every backendRef of a route's rules, after checking its port. */
function backends(ctx: CheckContext<RoutingRule>, app: AppModel, r: Resource, base: KeyPath, route: Obj, each: (ref: Obj, at: { resource: Resource; path: KeyPath }) => void): void {
  list(route.rules).forEach((rule, i) => {
    if (!isObj(rule)) return
    list(rule.backendRefs).forEach((ref, j) => {
      if (!isObj(ref)) return
      const path = [...base, 'rules', i, 'backendRefs', j]
      if (ref.port !== undefined && !(typeof ref.port === 'string' && /^[0-9]+$/.test(ref.port)))
        ctx.report(app, { rule: 'backend-port', message: `backendRef port ${JSON.stringify(ref.port)} is not an integer: Gateway API requires a port number`, hint: 'write the Service port number, e.g. port: 8080', at: { resource: r, path: [...path, 'port'] } })
      each(ref, { resource: r, path })
    })
  })
}
