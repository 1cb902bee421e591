import type { Backend } from './backends.ts'
import type { PlannedRoute, PlannedRule } from './plan.ts'
import type { BackendRef, HTTPRoute, HTTPRouteRule, ParentRef } from './types.ts'

/** Metadata shared by every route built from one source object. */
export interface RouteMeta {
  name: string
  namespace?: string
  labels: Record<string, string>
  annotations: Record<string, string>
}

/** A Kubernetes object name with a suffix, kept within the 253-character limit. */
export function routeName(base: string, suffix: string | undefined): string {
  const full = suffix === undefined ? base : `${base}-${suffix}`
  return full.length <= 253 ? full : full.slice(0, 253).replace(/[-.]+$/, '')
}

/** A planned rule's fields in the shape both emitters share; backends are mapped by the caller. */
export function ruleFields<B>(rule: PlannedRule, backend: (b: Backend) => B): { matches?: PlannedRule['matches']; filters?: PlannedRule['filters']; backendRefs?: B[]; timeouts?: PlannedRule['timeouts'] } {
  const out: { matches?: PlannedRule['matches']; filters?: PlannedRule['filters']; backendRefs?: B[]; timeouts?: PlannedRule['timeouts'] } = {}
  if (rule.matches.length > 0) out.matches = rule.matches
  if (rule.filters.length > 0) out.filters = rule.filters
  if (rule.backends.length > 0) out.backendRefs = rule.backends.map(backend)
  if (rule.timeouts) out.timeouts = rule.timeouts
  return out
}

function backendRef(b: Backend): BackendRef {
  const ref: BackendRef = { name: b.service, port: b.port }
  if (b.weight !== undefined) ref.weight = b.weight
  return ref
}

/** A raw `gateway.networking.k8s.io/v1` HTTPRoute for one planned route. */
export function toHTTPRoute(plan: PlannedRoute, meta: RouteMeta, parent: ParentRef): HTTPRoute {
  const metadata: HTTPRoute['metadata'] = { name: routeName(meta.name, plan.suffix) }
  if (meta.namespace !== undefined) metadata.namespace = meta.namespace
  if (Object.keys(meta.labels).length > 0) metadata.labels = { ...meta.labels }
  if (Object.keys(meta.annotations).length > 0) metadata.annotations = { ...meta.annotations }
  const spec: HTTPRoute['spec'] = { parentRefs: [{ ...parent }], rules: plan.rules.map((r): HTTPRouteRule => ruleFields(r, backendRef)) }
  if (plan.hostnames.length > 0) spec.hostnames = [...plan.hostnames]
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata, spec: { parentRefs: spec.parentRefs, ...(spec.hostnames ? { hostnames: spec.hostnames } : {}), rules: spec.rules } }
}
