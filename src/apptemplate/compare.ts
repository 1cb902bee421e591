/**
 * Equivalence check: the original manifests against the model's rendering of the values, by what Kubernetes does
 * with them. Every difference names the key path of the original manifest it concerns.
 */
import { compareContainer, comparePodFields, type Diff } from './compare-pod.ts'
import { templatePath } from './controller.ts'
import { applyImages } from './images.ts'
import { jobName } from './monitors.ts'
import type { Rendered, RenderedApp } from './render.ts'
import { ingressBackends } from './refs.ts'
import { resolveTarget } from './services.ts'
import type { Finding, Identities, KeyPath, KustomizeImage, Manifest, Obj, Site } from './types.ts'
import { WORKLOAD_KINDS } from './types.ts'
import { arr, deepEqual, obj, portNumber, selects, str, strMap } from './util.ts'

/** A difference between an original manifest and its rendering. */
export interface Difference {
  at: Site
  message: string
}

/** Spec fields of each workload type with Kubernetes' defaults. */
const WORKLOAD_FIELDS: Record<string, [KeyPath, unknown][]> = {
  deployment: [[['replicas'], 1], [['strategy', 'type'], 'RollingUpdate']],
  statefulset: [[['replicas'], 1], [['serviceName'], undefined], [['podManagementPolicy'], 'OrderedReady'], [['updateStrategy', 'type'], 'RollingUpdate'], [['updateStrategy', 'rollingUpdate', 'partition'], 0]],
  daemonset: [[['updateStrategy', 'type'], 'RollingUpdate'], [['updateStrategy', 'rollingUpdate', 'maxUnavailable'], 1], [['updateStrategy', 'rollingUpdate', 'maxSurge'], 0]],
  cronjob: [[['schedule'], undefined], [['timeZone'], undefined], [['concurrencyPolicy'], 'Allow'], [['startingDeadlineSeconds'], undefined], [['successfulJobsHistoryLimit'], 3], [['failedJobsHistoryLimit'], 1], [['suspend'], false], [['jobTemplate', 'spec', 'backoffLimit'], 6], [['jobTemplate', 'spec', 'ttlSecondsAfterFinished'], undefined], [['jobTemplate', 'spec', 'parallelism'], 1]],
  job: [[['backoffLimit'], 6], [['ttlSecondsAfterFinished'], undefined], [['parallelism'], 1], [['suspend'], false]],
}
const ROLLING_DEFAULTS: [KeyPath, unknown][] = [[['strategy', 'rollingUpdate', 'maxSurge'], '25%'], [['strategy', 'rollingUpdate', 'maxUnavailable'], '25%']]
const SERVICE_FIELDS: [string, unknown][] = [['type', 'ClusterIP'], ['externalTrafficPolicy', undefined], ['internalTrafficPolicy', 'Cluster'], ['loadBalancerIP', undefined], ['loadBalancerClass', undefined], ['loadBalancerSourceRanges', undefined], ['ipFamilyPolicy', 'SingleStack'], ['ipFamilies', undefined], ['externalIPs', undefined], ['sessionAffinity', 'None'], ['publishNotReadyAddresses', false]]

const show = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v))
const at = (o: unknown, path: KeyPath): unknown => path.reduce<unknown>((cur, seg) => (Array.isArray(cur) ? cur[seg as number] : obj(cur)[seg as string]), o)

/** Compares the original manifests (before kustomize `images:`, which are applied here) with the rendering. */
export function compareWorkloads(original: readonly Manifest[], rendered: RenderedApp, ids: Identities, images: readonly KustomizeImage[] = []): Difference[] {
  const out: Difference[] = []
  const orig = original.map((m) => withImages(m, images))
  const find = (kinds: (k: string) => boolean, id: string) => rendered.resources.find((r) => kinds(r.kind) && r.identifier === id)
  const isWorkload = (k: string) => k in WORKLOAD_KINDS
  const renderedOf = new Map<number, Rendered>()
  for (const [i, id] of Object.entries(ids.controllers)) {
    const r = find(isWorkload, id)
    if (r) renderedOf.set(Number(i), r)
  }
  for (const [i, id] of Object.entries(ids.controllers)) {
    const index = Number(i)
    const diff: Diff = (path, message, other) => out.push({ at: { index: other ?? index, path }, message })
    const r = renderedOf.get(index)
    if (!r) {
      diff([], `controller ${id} is not rendered`)
      continue
    }
    compareWorkload(orig[index], r.manifest, ids.containers[index] ?? {}, diff, (name, port, protocol) => portOrigin(orig, ids, id, name, port, protocol, renderedOf, index))
  }
  for (const [i, id] of Object.entries(ids.services)) {
    const index = Number(i)
    const r = find((k) => k === 'Service', id)
    const diff: Diff = (path, message) => out.push({ at: { index, path }, message })
    if (!r) diff([], `service ${id} is not rendered`)
    else compareService(orig, index, r.manifest, ids, renderedOf, diff)
  }
  for (const [i, id] of Object.entries(ids.serviceMonitors)) {
    const index = Number(i)
    const r = find((k) => k === 'ServiceMonitor', id)
    const diff: Diff = (path, message) => out.push({ at: { index, path }, message })
    if (!r) diff([], `serviceMonitor ${id} is not rendered`)
    else compareMonitor(orig, index, r.manifest, ids, rendered, diff)
  }
  for (const [i, byId] of Object.entries(ids.routes)) {
    const index = Number(i)
    compareRoutes(orig, index, byId, ids, rendered, (path, message) => out.push({ at: { index, path }, message }))
  }
  return out
}

/** Differences no loss finding accounts for (a finding covers its key path and everything below it). */
export function unexplained(diffs: readonly Difference[], findings: readonly Finding[]): Difference[] {
  return diffs.filter((d) => !findings.some((f) => f.loss && f.at && f.at.index === d.at.index && f.at.path.length <= d.at.path.length && f.at.path.every((s, i) => s === d.at.path[i])))
}

function withImages(m: Manifest, images: readonly KustomizeImage[]): Manifest {
  const type = WORKLOAD_KINDS[str(m.kind) ?? '']
  if (!type || images.length === 0) return m
  const copy = structuredClone(m)
  const pod = obj(at(copy, [...templatePath(type), 'spec']))
  for (const c of [...arr(pod.containers), ...arr(pod.initContainers)].map(obj)) if (typeof c.image === 'string') c.image = applyImages(c.image, images).image
  return copy
}

function subset(o: unknown, r: unknown, base: KeyPath, what: string, diff: Diff): void {
  const rm = strMap(r)
  for (const [k, v] of Object.entries(strMap(o))) if (rm[k] !== v) diff([...base, k], `${what} ${k}: ${show(v)} is rendered as ${show(rm[k])}`)
}

function compareWorkload(o: Manifest, r: Obj, ids: Record<string, string>, diff: Diff, origin: Parameters<typeof comparePodFields>[4]): void {
  const type = WORKLOAD_KINDS[str(o.kind) ?? '']
  if (o.kind !== r.kind) diff(['kind'], `kind ${show(o.kind)} is rendered as ${show(r.kind)}`)
  if (obj(o.metadata).name !== obj(r.metadata).name) diff(['metadata', 'name'], `name ${show(obj(o.metadata).name)} is rendered as ${show(obj(r.metadata).name)}`)
  subset(obj(o.metadata).labels, obj(r.metadata).labels, ['metadata', 'labels'], 'label', diff)
  subset(obj(o.metadata).annotations, obj(r.metadata).annotations, ['metadata', 'annotations'], 'annotation', diff)
  const fields = [...WORKLOAD_FIELDS[type], ...(type === 'deployment' && (at(o.spec, ['strategy', 'type']) ?? 'RollingUpdate') === 'RollingUpdate' ? ROLLING_DEFAULTS : [])]
  for (const [path, d] of fields) {
    const a = at(o.spec, path) ?? d
    const b = at(r.spec, path) ?? d
    if (!deepEqual(a, b)) diff(['spec', ...path], `${path.join('.')} ${show(a)} is rendered as ${show(b)}`)
  }
  if (type === 'statefulset') compareClaims(obj(o.spec), obj(r.spec), diff)
  const tp = templatePath(type)
  const ot = obj(at(o, tp))
  const rt = obj(at(r, tp))
  subset(obj(ot.metadata).labels, obj(rt.metadata).labels, [...tp, 'metadata', 'labels'], 'pod label', diff)
  subset(obj(ot.metadata).annotations, obj(rt.metadata).annotations, [...tp, 'metadata', 'annotations'], 'pod annotation', diff)
  const op = obj(ot.spec)
  const rp = obj(rt.spec)
  const base = [...tp, 'spec']
  comparePodFields(op, rp, base, diff, origin)
  for (const key of ['initContainers', 'containers']) {
    const rc = arr(rp[key]).map(obj)
    const oc = arr(op[key]).map(obj)
    const order = oc.map((c) => ids[String(c.name)] ?? String(c.name))
    if (order.join() !== rc.map((c) => String(c.name)).join()) diff([...base, key], `${key} order ${show(order)} is rendered as ${show(rc.map((c) => c.name))}`)
    oc.forEach((c, i) => {
      const match = rc.find((x) => x.name === (ids[String(c.name)] ?? c.name))
      if (!match) diff([...base, key, i], `container ${show(c.name)} is not rendered`)
      else compareContainer(c, match, [...base, key, i], diff)
    })
  }
}

function compareClaims(o: Obj, r: Obj, diff: Diff): void {
  const rc = arr(r.volumeClaimTemplates).map(obj)
  arr(o.volumeClaimTemplates).forEach((t, i) => {
    const ot = obj(t)
    const match = rc.find((x) => obj(x.metadata).name === obj(ot.metadata).name)
    const norm = (x: Obj) => ({ metadata: { name: obj(x.metadata).name, labels: obj(x.metadata).labels, annotations: obj(x.metadata).annotations }, spec: { ...obj(x.spec), volumeMode: obj(x.spec).volumeMode ?? 'Filesystem' } })
    if (!match || !deepEqual(norm(ot), norm(match))) diff(['spec', 'volumeClaimTemplates', i], `volumeClaimTemplate ${show(obj(ot.metadata).name)} ${show(ot)} ≠ ${show(match)}`)
  })
  if (rc.length !== arr(o.volumeClaimTemplates).length) diff(['spec', 'volumeClaimTemplates'], `${arr(o.volumeClaimTemplates).length} claim templates ≠ ${rc.length} rendered`)
}

/** The workloads (by original index) a Service or selector picks, on either side. */
function picked(selector: Record<string, string>, manifests: { index: number; manifest: Obj }[]): number[] {
  return manifests.filter(({ manifest }) => selects(selector, strMap(obj(at(manifest, [...templatePath(WORKLOAD_KINDS[str(manifest.kind) ?? '']), 'metadata'])).labels))).map((x) => x.index)
}

function compareService(orig: readonly Manifest[], index: number, r: Obj, ids: Identities, renderedOf: Map<number, Rendered>, diff: Diff): void {
  const o = orig[index]
  if (obj(o.metadata).name !== obj(r.metadata).name) diff(['metadata', 'name'], `Service ${show(obj(o.metadata).name)} is rendered as ${show(obj(r.metadata).name)}`)
  subset(obj(o.metadata).labels, obj(r.metadata).labels, ['metadata', 'labels'], 'label', diff)
  subset(obj(o.metadata).annotations, obj(r.metadata).annotations, ['metadata', 'annotations'], 'annotation', diff)
  const os = obj(o.spec)
  const rs = obj(r.spec)
  for (const [k, d] of SERVICE_FIELDS) if (!deepEqual(os[k] ?? d, rs[k] ?? d)) diff(['spec', k], `${k} ${show(os[k])} is rendered as ${show(rs[k])}`)
  const workloads = Object.keys(ids.controllers).map(Number)
  const before = picked(strMap(os.selector), workloads.map((i) => ({ index: i, manifest: orig[i] })))
  const after = picked(strMap(rs.selector), [...renderedOf].map(([i, x]) => ({ index: i, manifest: x.manifest })))
  if (before.join() !== after.join()) diff(['spec', 'selector'], `selects workloads ${show(before)} but the rendering selects ${show(after)}`)
  const opod = before.length === 1 ? obj(at(orig[before[0]], [...templatePath(WORKLOAD_KINDS[str(orig[before[0]].kind) ?? '']), 'spec'])) : {}
  const rw = after.length === 1 ? renderedOf.get(after[0])!.manifest : {}
  const rpod = after.length === 1 ? obj(at(rw, [...templatePath(WORKLOAD_KINDS[str(rw.kind) ?? '']), 'spec'])) : {}
  const rports = arr(rs.ports).map(obj)
  const oports = arr(os.ports).map(obj)
  oports.forEach((p, i) => {
    const q = oports.length === 1 && p.name === undefined ? rports[0] : rports.find((x) => x.name === p.name)
    if (!q) return diff(['spec', 'ports', i], `port ${show(p.name)} is not rendered`)
    const a = { port: p.port, protocol: p.protocol ?? 'TCP', target: resolveTarget(p.targetPort, p.port, opod), nodePort: p.nodePort, appProtocol: p.appProtocol }
    const b = { port: q.port, protocol: q.protocol ?? 'TCP', target: resolveTarget(q.targetPort, q.port, rpod), nodePort: q.nodePort, appProtocol: q.appProtocol }
    if (!deepEqual(a, b)) diff(['spec', 'ports', i], `port ${show(p.name)} ${show(a)} is rendered as ${show(b)}`)
  })
  if (rports.length !== oports.length) diff(['spec', 'ports'], `${oports.length} ports ≠ ${rports.length} rendered`)
}

function compareMonitor(orig: readonly Manifest[], index: number, r: Obj, ids: Identities, rendered: RenderedApp, diff: Diff): void {
  const o = orig[index]
  subset(obj(o.metadata).labels, obj(r.metadata).labels, ['metadata', 'labels'], 'label', diff)
  subset(obj(o.metadata).annotations, obj(r.metadata).annotations, ['metadata', 'annotations'], 'annotation', diff)
  const os = obj(o.spec)
  const rs = obj(r.spec)
  for (const k of ['endpoints', 'targetLabels']) if (!deepEqual(os[k], rs[k])) diff(['spec', k], `${k} ${show(os[k])} is rendered as ${show(rs[k])}`)
  const svcIdx = Object.keys(ids.services).map(Number)
  const before = svcIdx.filter((i) => selects(strMap(obj(os.selector).matchLabels), strMap(obj(orig[i].metadata).labels)))
  const renderedSvcs = rendered.resources.filter((x) => x.kind === 'Service')
  const after = svcIdx.filter((i) => {
    const rsvc = renderedSvcs.find((x) => x.identifier === ids.services[i])
    return rsvc !== undefined && selects(strMap(obj(rs.selector).matchLabels), strMap(obj(rsvc.manifest.metadata).labels))
  })
  if (before.join() !== after.join()) return diff(['spec', 'selector'], `selects Services ${show(before)} but the rendering selects ${show(after)}`)
  for (const i of before) {
    const rsvc = renderedSvcs.find((x) => x.identifier === ids.services[i])!
    const a = jobName(os.jobLabel, String(obj(orig[i].metadata).name), strMap(obj(orig[i].metadata).labels))
    const b = jobName(rs.jobLabel, String(obj(rsvc.manifest.metadata).name), strMap(obj(rsvc.manifest.metadata).labels))
    if (a !== b) diff(['spec', 'jobLabel'], `Prometheus job ${show(a)} is rendered as ${show(b)}`)
  }
}

/** The original Service port whose rendering declares this container port on controller `id`. */
function portOrigin(orig: readonly Manifest[], ids: Identities, id: string, name: string, _port: unknown, _protocol: string, renderedOf: Map<number, Rendered>, workload: number): { index: number; path: KeyPath } | undefined {
  for (const [i] of Object.entries(ids.services)) {
    const s = orig[Number(i)]
    const sel = picked(strMap(obj(s.spec).selector), [{ index: workload, manifest: orig[workload] }])
    if (sel.length === 0 || !renderedOf.has(workload) || ids.controllers[workload] !== id) continue
    const list = arr(obj(s.spec).ports).map(obj)
    const pi = list.findIndex((p) => p.name === name || (list.length === 1 && p.name === undefined))
    if (pi >= 0) return { index: Number(i), path: ['spec', 'ports', pi] }
  }
  return undefined
}

/** A route rule as Gateway API reads it: no matches is `PathPrefix /`, a backend's weight defaults to 1. */
function normRule(rule: unknown): Obj {
  const r = obj(rule)
  const matches = arr(r.matches).length > 0 ? r.matches : [{ path: { type: 'PathPrefix', value: '/' } }]
  const backendRefs = arr(r.backendRefs).map((b) => ({ name: obj(b).name, port: obj(b).port, weight: obj(b).weight ?? 1 }))
  return { matches, filters: arr(r.filters), backendRefs, timeouts: r.timeouts }
}

/**
 * An Ingress's routes: each rendered route against the HTTPRoute the ingress converter made of the Ingress
 * (hostnames, parents, rules with their matches, filters and backends named as the chart names the Services), and,
 * read from the Ingress itself, every Service port it sent traffic to must be reached by a rendered route at the
 * Service's rendered name and the same port number.
 */
function compareRoutes(orig: readonly Manifest[], index: number, byId: Record<string, Obj>, ids: Identities, rendered: RenderedApp, diff: Diff): void {
  const routes = rendered.resources.filter((x) => x.kind === 'HTTPRoute')
  for (const [id, expected] of Object.entries(byId)) {
    const r = routes.find((x) => x.identifier === id)
    if (!r) {
      diff(['metadata', 'name'], `route ${id} is not rendered`)
      continue
    }
    const es = obj(expected.spec)
    const rs = obj(r.manifest.spec)
    const hosts = (v: unknown) => arr(v).map(String).sort()
    if (!deepEqual(hosts(es.hostnames), hosts(rs.hostnames))) diff(['spec', 'rules'], `route ${id} hostnames ${show(hosts(es.hostnames))} are rendered as ${show(hosts(rs.hostnames))}`)
    if (!deepEqual(es.parentRefs, rs.parentRefs)) diff(['spec', 'ingressClassName'], `route ${id} parentRefs ${show(es.parentRefs)} are rendered as ${show(rs.parentRefs)}`)
    const er = arr(es.rules).map(normRule)
    const rr = arr(rs.rules).map(normRule)
    if (!deepEqual(er, rr)) diff(['spec', 'rules'], `route ${id} rules ${show(er)} are rendered as ${show(rr)}`)
    subset(obj(expected.metadata).annotations, obj(r.manifest.metadata).annotations, ['metadata', 'annotations'], `route ${id} annotation`, diff)
    subset(obj(expected.metadata).labels, obj(r.manifest.metadata).labels, ['metadata', 'labels'], `route ${id} label`, diff)
  }
  const reached = new Set(routes.flatMap((x) => arr(obj(x.manifest.spec).rules).flatMap((rule) => arr(obj(rule).backendRefs).map((b) => `${String(obj(b).name)}:${String(obj(b).port)}`))))
  for (const b of ingressBackends(orig[index])) {
    const si = Object.keys(ids.services).map(Number).find((j) => obj(orig[j].metadata).name === b.name)
    const svcPort = arr(obj(si === undefined ? undefined : orig[si].spec).ports).map(obj).find((p) => b.port.name !== undefined && p.name === b.port.name)
    const port = portNumber(b.port.number) ?? portNumber(svcPort?.port)
    const rsvc = si === undefined ? undefined : rendered.resources.find((x) => x.kind === 'Service' && x.identifier === ids.services[si])
    const name = rsvc ? String(obj(rsvc.manifest.metadata).name) : b.name
    if (!reached.has(`${name}:${String(port)}`)) diff(b.path.slice(0, -1), `Service ${b.name} port ${String(port ?? b.port.name)} is reached by no rendered route (as ${name}:${String(port)})`)
  }
}
