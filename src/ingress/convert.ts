import { readAnnotations, setOwn, stringMap } from './annotations.ts'
import { ingressBackend } from './backends.ts'
import type { Behaviour } from './behaviour.ts'
import { foldCanaries, reportOwnCanary, type SourcedEntry } from './canary.ts'
import { toHTTPRoute } from './emit.ts'
import { checkDnsTarget, checkHosts, chooseGateway, parentRef } from './gateway.ts'
import { normalizeHost, resolveText } from './hosts.ts'
import { convertPath } from './paths.ts'
import { hostPath, planRoutes } from './plan.ts'
import { asArray, asRecord, asText, code, Reporter } from './report.ts'
import type { FindingPath, HTTPRoute, IngressContext, IngressFinding, Resolver } from './types.ts'

/** Result of {@link convertIngress}. */
export interface IngressResult {
  routes: HTTPRoute[]
  findings: IngressFinding[]
}

const API_VERSIONS = ['networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1']

/** Reads `spec.rules` into entries; a host with any unconvertible path is left out whole. */
function readRules(spec: Record<string, unknown>, ns: string | undefined, b: Behaviour, ctx: IngressContext, r: Reporter): { entries: SourcedEntry[]; hosts: (string | null)[] } {
  const entries: SourcedEntry[] = []
  const hosts: (string | null)[] = []
  const broken = new Set<string | null>()
  asArray(spec.rules).forEach((raw, i) => {
    const rule = asRecord(raw) ?? {}
    const at: FindingPath = ['spec', 'rules', i]
    const rawHost = asText(rule.host)
    const host = rawHost === undefined || rawHost === '' ? null : normalizeHost(rawHost, r, [...at, 'host'], ctx.resolve)
    if (host === undefined) return
    if (host === null) r.warn('host-missing', at, 'a rule without host: its route gets no hostnames and takes every host its listener accepts', { loss: true })
    if (!hosts.includes(host)) hosts.push(host)
    if (asArray(asRecord(rule.http)?.paths).length === 0) r.info('rule-without-paths', at, 'a rule without paths: nginx sent its host to the default backend')
    asArray(asRecord(rule.http)?.paths).forEach((rawPath, j) => {
      const p = asRecord(rawPath) ?? {}
      const pat: FindingPath = [...at, 'http', 'paths', j]
      const conv = convertPath(asText(p.pathType), asText(p.path), b, r, pat)
      const backend = ingressBackend(p.backend, ns, ctx.services ?? [], r, [...pat, 'backend'])
      if (!conv || !backend) return void broken.add(host)
      entries.push({ host, match: { path: conv.match }, backends: [backend], rewrite: conv.rewrite, at: pat, rawPath: asText(p.path) || '/' })
    })
  })
  for (const h of broken) {
    r.error('host-not-converted', ['spec', 'rules'], `${h === null ? 'the rules without host are' : `host ${code(h)} is`} not converted, since a partial route would send some of its paths elsewhere`, { loss: true })
  }
  return { entries: entries.filter((e) => !broken.has(e.host)), hosts: hosts.filter((h) => !broken.has(h)) }
}

function addAliases(entries: SourcedEntry[], hosts: (string | null)[], b: Behaviour, ctx: IngressContext, r: Reporter): void {
  if (b.serverAliases.length === 0) return
  const at: FindingPath = ['metadata', 'annotations', 'nginx.ingress.kubernetes.io/server-alias']
  const named = hosts.filter((h): h is string => h !== null)
  if (named.length !== 1) {
    r.warn('annotation-not-converted', at, `\`server-alias\` needs exactly one host to alias, found ${named.length}; not converted`, { loss: true })
    return
  }
  for (const raw of b.serverAliases) {
    const alias = normalizeHost(raw, r, at, ctx.resolve)
    if (alias === undefined || hosts.includes(alias)) continue
    hosts.push(alias)
    for (const e of entries.filter((x) => x.host === named[0])) entries.push({ ...e, host: alias })
  }
}

/**
 * `defaultBackend` takes what no path matches: a `PathPrefix /` rule for each host that lacks one. Returns false
 * (after an error) when it cannot be resolved, since then no host routes as before.
 */
export function addDefaultBackend(raw: unknown, at: FindingPath, ns: string | undefined, entries: SourcedEntry[], hosts: (string | null)[], services: readonly unknown[], r: Reporter): boolean {
  const backend = ingressBackend(raw, ns, services, r, at)
  if (!backend) {
    r.error('host-not-converted', at, 'without its default backend no host routes as before; nothing converted', { loss: true })
    return false
  }
  const targets = hosts.length === 0 || hosts.includes(null) ? [...hosts.filter((h) => h !== null), null] : hosts
  for (const host of targets) {
    const hasRoot = entries.some((e) => e.host === host && e.match.path.type === 'PathPrefix' && e.match.path.value === '/')
    if (!hasRoot) entries.push({ host, match: { path: { type: 'PathPrefix', value: '/' } }, backends: [backend], at, rawPath: '/' })
  }
  r.info('default-backend', at, `default backend ${code(backend.service)} → a \`PathPrefix /\` rule for every host without one`)
  if (targets.includes(null)) {
    r.warn('default-backend-catch-all', at, 'the default backend becomes a route without hostnames, which takes every host its listener accepts that no other route claims', { loss: true })
  }
  return true
}

/** Labels carried onto the route, values resolved; the legacy external-dns selector is dropped. */
export function routeLabels(labels: unknown, at: FindingPath, resolve: Resolver | undefined, r: Reporter): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(stringMap(labels))) {
    if (k === 'ingress') {
      r.info('label-dropped', [...at, k], '`ingress` label dropped: the legacy external-dns selector for Ingresses')
      continue
    }
    const res = resolveText(v, resolve)
    if ('value' in res) setOwn(out, k, res.value)
    else r.error('label-unresolved', [...at, k], `label ${code(k)} uses ${res.unresolved.map(code).join(', ')}, which has no value; not carried`, { loss: true })
  }
  return out
}

/**
 * Converts one `networking.k8s.io/v1` Ingress (plain object) to HTTPRoutes: one route for all hosts that share
 * their rules, attached to the gateway its class maps to. Every annotation, dropped key and approximation is
 * reported; hosts that cannot be routed exactly as before are left out with an error rather than guessed.
 */
export function convertIngress(ingress: unknown, ctx: IngressContext = {}): IngressResult {
  const obj = asRecord(ingress) ?? {}
  const meta = asRecord(obj.metadata)
  const name = asText(meta?.name)
  const ns = asText(meta?.namespace)
  const r = new Reporter(`Ingress ${ns ? `${ns}/` : ''}${name ?? '<unnamed>'}`)
  const apiVersion = asText(obj.apiVersion) ?? ''
  if (asText(obj.kind) !== 'Ingress' || !API_VERSIONS.includes(apiVersion) || name === undefined) {
    r.error('not-an-ingress', [], `not a named Ingress of ${API_VERSIONS.map(code).join(', ')}; not converted`)
    return { routes: [], findings: r.findings }
  }
  if (apiVersion !== API_VERSIONS[0]) r.info('api-version-legacy', ['apiVersion'], `${code(apiVersion)} read with its v1beta1 backend fields`)
  const b = readAnnotations(meta?.annotations, ['metadata', 'annotations'], r, ctx)
  const labels = routeLabels(meta?.labels, ['metadata', 'labels'], ctx.resolve, r)
  const routeName = resolveText(name, ctx.resolve)
  if ('unresolved' in routeName) r.error('name-unresolved', ['metadata', 'name'], `the name uses ${routeName.unresolved.map(code).join(', ')}, which has no value; no route emitted`, { loss: true })
  const spec = asRecord(obj.spec) ?? {}
  const className = asText(spec.ingressClassName) ?? b.classAnnotation
  const classPath: FindingPath = spec.ingressClassName !== undefined ? ['spec', 'ingressClassName'] : b.classAnnotation !== undefined ? ['metadata', 'annotations', 'kubernetes.io/ingress.class'] : ['spec']
  if (spec.ingressClassName !== undefined) r.info('class-dropped', classPath, '`ingressClassName` dropped: it chose the gateway')
  asArray(spec.tls).forEach((_, i) => r.info('tls-dropped', ['spec', 'tls', i], '`tls` dropped: TLS is terminated by the Gateway listener and its certificate'))
  if (b.canary) {
    reportOwnCanary(obj, ctx, r)
    return { routes: [], findings: r.findings }
  }
  const gateway = chooseGateway({ className, classPath, annotations: stringMap(meta?.annotations) }, ctx, r)
  const { entries, hosts } = readRules(spec, ns, b, ctx, r)
  addAliases(entries, hosts, b, ctx, r)
  const dbKey = spec.defaultBackend !== undefined ? 'defaultBackend' : spec.backend !== undefined ? 'backend' : undefined
  const defaultOk = dbKey === undefined || addDefaultBackend(spec[dbKey], ['spec', dbKey], ns, entries, hosts, ctx.services ?? [], r)
  foldCanaries(obj, entries, ctx, r)
  if (!gateway || b.blocking || !defaultOk || 'unresolved' in routeName) return { routes: [], findings: r.findings }
  if (entries.length === 0) {
    if (asArray(spec.rules).length === 0 && spec.defaultBackend === undefined) r.warn('no-rules', ['spec'], 'no rules and no default backend; no route emitted')
    return { routes: [], findings: r.findings }
  }
  const plans = planRoutes(entries, b, r, ['spec'])
  const parent = parentRef(gateway.target)
  checkDnsTarget(b, gateway.target, r)
  checkHosts([...new Set(plans.flatMap((p) => p.hostnames))], gateway.target, r, (h) => hostPath(entries, h))
  const routes = plans.map((p) => toHTTPRoute(p, { name: routeName.value, namespace: ns, labels, annotations: b.routeAnnotations }, parent))
  return { routes, findings: r.findings }
}
