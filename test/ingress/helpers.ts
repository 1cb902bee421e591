import { HTTPRoute as HTTPRouteModel } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute'
import { parseAllDocuments } from 'yaml'
import { expect } from 'vitest'
import { invalidPathReason } from '../../src/ingress/paths.ts'
import type { HTTPRoute, IngressFinding, Resolver } from '../../src/ingress/types.ts'

export const NG = 'nginx.ingress.kubernetes.io/'

/** The Service the `books` Ingress fixtures route to (port `http` → 8083). */
export const BOOKS_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: books
  namespace: media
spec:
  ports:
    - name: http
      port: 8083
`

/** A printed stream of routes read back with the core schema (ports are numbers, as Kubernetes reads them). */
export function printedRoutes(yaml: string): HTTPRoute[] {
  const docs = parseAllDocuments(yaml)
  expect(Array.isArray(docs)).toBe(true)
  const list = docs as Exclude<typeof docs, { empty: true }>
  for (const d of list) expect(d.errors).toEqual([])
  return list.map((d) => d.toJS() as HTTPRoute)
}

/** Substitutes the variables the tests use; anything else stays unresolved. */
export const resolve: Resolver = (text) => {
  const vars: Record<string, string> = { SECRET_DOMAIN: 'rtrox.io', CLUSTER_NAME: 'chongus', '.Release.Name': 'demo' }
  const missing: string[] = []
  const value = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\{\{-?\s*(.*?)\s*-?\}\}/g, (m, v, d, h) => {
    const name = v ?? h
    if (vars[name] !== undefined) return vars[name]
    if (d !== undefined) return d
    missing.push(name)
    return m
  })
  return missing.length > 0 ? { unresolved: missing } : { value }
}

export interface PathSpec {
  path?: string
  pathType?: string
  service?: string
  port?: number | string
}

/** A small v1 Ingress; ports given as strings are port names. */
export function ingress(opts: {
  name?: string
  namespace?: string
  className?: string | null
  annotations?: Record<string, string>
  labels?: Record<string, string>
  rules?: { host?: string; paths: PathSpec[] }[]
  defaultBackend?: { service: string; port: number | string }
  tls?: boolean
}): Record<string, unknown> {
  const backend = (service: string, port: number | string) => ({ service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } })
  const spec: Record<string, unknown> = {}
  if (opts.className !== null) spec.ingressClassName = opts.className ?? 'nginx'
  if (opts.defaultBackend) spec.defaultBackend = backend(opts.defaultBackend.service, opts.defaultBackend.port)
  spec.rules = (opts.rules ?? [{ host: 'demo.rtrox.io', paths: [{}] }]).map((r) => ({
    ...(r.host === undefined ? {} : { host: r.host }),
    http: { paths: r.paths.map((p) => ({ path: p.path ?? '/', pathType: p.pathType ?? 'Prefix', backend: backend(p.service ?? 'demo', p.port ?? 8080) })) },
  }))
  if (opts.tls) spec.tls = [{ hosts: ['demo.rtrox.io'], secretName: 'demo-tls' }]
  const metadata: Record<string, unknown> = { name: opts.name ?? 'demo', namespace: opts.namespace ?? 'default' }
  if (opts.annotations) metadata.annotations = opts.annotations
  if (opts.labels) metadata.labels = opts.labels
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata, spec }
}

/** A Service with named ports. */
export function service(name: string, ports: Record<string, number | string>, namespace = 'default'): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: Object.entries(ports).map(([n, p]) => ({ name: n, port: p })) } }
}

/** CEL rules of the HTTPRoute CRD that the JSON schema cannot express. */
export function celViolations(route: HTTPRoute): string[] {
  const out: string[] = []
  route.spec.rules.forEach((rule, i) => {
    const types = (rule.filters ?? []).map((f) => f.type)
    for (const t of new Set(types)) if (types.filter((x) => x === t).length > 1) out.push(`rule ${i}: ${t} twice`)
    if (types.includes('RequestRedirect') && (types.includes('URLRewrite') || (rule.backendRefs ?? []).length > 0)) out.push(`rule ${i}: RequestRedirect with URLRewrite or backendRefs`)
    for (const f of rule.filters ?? []) {
      const path = f.type === 'URLRewrite' ? f.urlRewrite.path : f.type === 'RequestRedirect' ? f.requestRedirect.path : undefined
      if (path?.type === 'ReplacePrefixMatch' && (rule.matches?.length !== 1 || rule.matches[0].path.type !== 'PathPrefix')) out.push(`rule ${i}: ReplacePrefixMatch needs exactly one PathPrefix match`)
    }
    for (const m of rule.matches ?? []) {
      if (m.path.type !== 'RegularExpression' && invalidPathReason(m.path.value) !== undefined) out.push(`rule ${i}: invalid path ${m.path.value}`)
    }
  })
  const matches = route.spec.rules.reduce((n, r) => n + (r.matches?.length ?? 0), 0)
  if (matches > 128) out.push(`${matches} matches in one route`)
  return out
}

/** Validates a route against the Gateway API v1 schema and the CRD's CEL rules. */
export function expectValidRoute(route: HTTPRoute): void {
  const model = new HTTPRouteModel(structuredClone(route) as never)
  expect(() => model.validate()).not.toThrow()
  expect(celViolations(route)).toEqual([])
}

/** Every annotation of the input has a finding pointing at it: none is dropped silently. */
export function expectEveryAnnotationReported(annotations: Record<string, string>, findings: IngressFinding[], prefix: (string | number)[] = ['metadata', 'annotations']): void {
  for (const key of Object.keys(annotations)) {
    const hit = findings.some((f) => f.path.length === prefix.length + 1 && prefix.every((p, i) => f.path[i] === p) && f.path[prefix.length] === key)
    expect(hit, `no finding for annotation ${key}`).toBe(true)
  }
}

/** Findings with a given rule id. */
export function byRule(findings: IngressFinding[], rule: string): IngressFinding[] {
  return findings.filter((f) => f.rule === rule)
}
