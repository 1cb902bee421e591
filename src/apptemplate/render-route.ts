/**
 * The model's rendering of `route.<id>` (bjw-s common 3.7.x and 4.x, REFERENCE §3): HTTPRoutes named like the
 * chart's other resources, backendRefs resolved from service identifiers to the Services' rendered names and ports.
 */
import { resourceName } from './naming.ts'
import type { Rendered } from './render.ts'
import type { Obj } from './types.ts'
import { arr, compact, obj, portNumber, str } from './util.ts'

const ROUTE_KEYS = ['enabled', 'kind', 'annotations', 'labels', 'hostnames', 'parentRefs', 'rules']
const PARENT_KEYS = ['name', 'namespace', 'sectionName', 'group', 'kind', 'port']
const RULE_KEYS = ['matches', 'filters', 'backendRefs', 'timeouts']
const BACKEND_KEYS = ['identifier', 'name', 'port', 'weight']

/** What the route rendering needs to know of the release's Services. */
export interface RouteServices {
  /** Enabled services: identifier → values. */
  entries: [string, unknown][]
  /** The rendered name of service `id`. */
  name(id: string, values: Obj): string
}

/** A service's primary port number: the port marked `primary`, else its only port (undefined otherwise). */
export function primaryPort(service: Obj): number | undefined {
  const ports = Object.values(obj(service.ports)).map(obj).filter((p) => p.enabled !== false)
  const p = ports.find((x) => x.primary === true) ?? (ports.length === 1 ? ports[0] : undefined)
  return p ? portNumber(p.port) : undefined
}

/** Renders the enabled `route` entries; keys the model does not know go to `un`. */
export function renderRoutes(route: unknown, release: string, common: Record<string, string>, major: number, services: RouteServices, un: (p: string) => void): Rendered[] {
  const routes = Object.entries(obj(route)).filter(([, v]) => obj(v).enabled !== false)
  const out: Rendered[] = []
  for (const [id, raw] of routes) {
    const r = obj(raw)
    const at = `route.${id}`
    for (const k of Object.keys(r)) if (!ROUTE_KEYS.includes(k)) un(`${at}.${k}`)
    if (r.kind !== undefined && r.kind !== 'HTTPRoute') un(`${at}.kind`)
    const parentRefs = arr(r.parentRefs).map((p, i) => {
      for (const k of Object.keys(obj(p))) if (!PARENT_KEYS.includes(k)) un(`${at}.parentRefs[${i}].${k}`)
      // 3.x and 4.x require the namespace (the template fails without it).
      if (obj(p).namespace === undefined) un(`${at}.parentRefs[${i}].namespace`)
      return obj(p)
    })
    const backend = (b: unknown, path: string): Obj => {
      const ref = obj(b)
      for (const k of Object.keys(ref)) if (!BACKEND_KEYS.includes(k)) un(`${path}.${k}`)
      // 4.x: `identifier`; 3.x tries a `name` as an identifier first. Either falls back to the primary port.
      const key = str(ref.identifier) ?? (major < 4 ? str(ref.name) : undefined)
      if (ref.identifier !== undefined && major < 4) un(`${path}.identifier`)
      const svc = key === undefined ? undefined : services.entries.find(([sid]) => sid === key)
      if (svc) return { name: services.name(svc[0], obj(svc[1])), port: portNumber(ref.port) ?? primaryPort(obj(svc[1])), weight: ref.weight ?? 1 }
      if (ref.identifier !== undefined) return { name: undefined, port: ref.port, weight: ref.weight ?? 1 }
      return { name: ref.name, port: ref.port, weight: ref.weight ?? 1 }
    }
    let rules: Obj[]
    if (r.rules === undefined) {
      // 4.x injects the only Service (`_autoDetectService.tpl`); 3.x renders a rule without backends.
      const only = services.entries.length === 1 && major >= 4 ? services.entries[0] : undefined
      rules = [{ backendRefs: only ? [{ name: services.name(only[0], obj(only[1])), port: primaryPort(obj(only[1])), weight: 1 }] : [] }]
    } else {
      rules = arr(r.rules).map((raw2, i) => {
        const rule = obj(raw2)
        for (const k of Object.keys(rule)) if (!RULE_KEYS.includes(k)) un(`${at}.rules[${i}].${k}`)
        // 3.x and 4.x render only the path of a match.
        arr(rule.matches).forEach((m, j) => Object.keys(obj(m)).filter((k) => k !== 'path').forEach((k) => un(`${at}.rules[${i}].matches[${j}].${k}`)))
        return compact({ matches: rule.matches, filters: rule.filters, backendRefs: arr(rule.backendRefs).map((b, j) => backend(b, `${at}.rules[${i}].backendRefs[${j}]`)), timeouts: rule.timeouts })
      })
    }
    const annotations = obj(r.annotations)
    const manifest: Obj = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: compact({ name: resourceName(release, id, routes.length, major), labels: { ...obj(r.labels), ...common }, annotations: Object.keys(annotations).length > 0 ? annotations : undefined }),
      spec: compact({ parentRefs, hostnames: r.hostnames, rules }),
    }
    out.push({ kind: 'HTTPRoute', identifier: id, manifest })
  }
  return out
}
