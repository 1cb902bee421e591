/** Services → `service.<id>` (controller, type, ports with the effective targetPort, annotations, labels). */
import { chartOwnedKeys, resourceName } from './naming.ts'
import type { Finding, KeyPath, Manifest, Obj } from './types.ts'
import { arr, compact, obj, portNumber, selects, str, strMap } from './util.ts'

/** A converted workload, as Services and ServiceMonitors need it. */
export interface WorkloadInfo {
  index: number
  controller: string
  pod: Obj
  podLabels: Record<string, string>
  /** Labels the rendered pod will carry. */
  renderedPodLabels: Record<string, string>
  renderedName: string
}

/** A converted Service: its identifier, old and new names, labels, and the container ports the chart declares for it. */
export interface ServiceInfo {
  index: number
  identifier: string
  originalName: string
  renderedName: string
  controller: string
  /** Port name → port number. */
  ports: Record<string, number>
  labels: Record<string, string>
  renderedLabels: Record<string, string>
  /** Container ports app-template declares for this Service: name, number, protocol, and the Service port's index. */
  declared: { name: string; containerPort: number; protocol: string; port: number }[]
}

/** Spec fields with an app-template service key. */
const KEYS = ['type', 'ports', 'selector', 'externalTrafficPolicy', 'internalTrafficPolicy', 'loadBalancerIP', 'loadBalancerClass', 'loadBalancerSourceRanges', 'ipFamilyPolicy', 'ipFamilies', 'externalIPs']
/** Fields at their Kubernetes default carry nothing, whatever the chart has for them. */
const DEFAULTS: Record<string, unknown> = { sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', publishNotReadyAddresses: false, allocateLoadBalancerNodePorts: true }
const COPIED = KEYS.filter((k) => k !== 'ports' && k !== 'selector' && k !== 'type')

type Report = (f: Omit<Finding, 'at'>, index: number, path: KeyPath) => void

/** Resolves a Service targetPort in a pod the way the endpoints controller does (first container declaring the name). */
export function resolveTarget(target: unknown, port: unknown, pod: Obj): number | undefined {
  if (target === undefined || target === null) return portNumber(port)
  const n = portNumber(target)
  if (n !== undefined) return n
  for (const c of arr(pod.containers)) {
    for (const p of arr(obj(c).ports)) if (obj(p).name === target) return portNumber(obj(p).containerPort)
  }
  return undefined
}

/** Identifiers: `app` for a lone Service; otherwise the name without the release prefix (the release's own keeps it). */
export function serviceIds(names: readonly string[], release: string): string[] {
  if (names.length === 1) return ['app']
  const ids: string[] = []
  for (const n of names) {
    let id = n.startsWith(`${release}-`) && n.length > release.length + 1 ? n.slice(release.length + 1) : n
    while (ids.includes(id)) id = `${id}-svc`
    ids.push(id)
  }
  return ids
}

/** Services → `service.<id>`, each targeting the one workload its selector picks. */
export function convertServices(services: { index: number; manifest: Manifest }[], workloads: readonly WorkloadInfo[], release: string, major: number, report: Report): { values: Obj; infos: ServiceInfo[] } {
  const values: Obj = {}
  const infos: ServiceInfo[] = []
  const ids = serviceIds(services.map((s) => str(obj(s.manifest.metadata).name) ?? ''), release)
  const portNames = new Map<string, Map<string, number>>()
  services.forEach(({ index, manifest }, si) => {
    const name = str(obj(manifest.metadata).name) ?? ''
    const spec = obj(manifest.spec)
    for (const k of Object.keys(spec)) {
      if (KEYS.includes(k) || (k in DEFAULTS && spec[k] === DEFAULTS[k])) continue
      report({ severity: 'error', rule: 'unsupported-field', message: `Service ${name} field \`${k}\` has no app-template service key`, hint: 'remove or fix the field, or keep the app raw' }, index, ['spec', k])
    }
    const selector = strMap(spec.selector)
    const targets = workloads.filter((w) => selects(selector, w.podLabels))
    if (targets.length !== 1) {
      report({ severity: 'error', rule: 'service-selector', message: `Service ${name} selects ${targets.length === 0 ? 'no workload' : `${targets.length} workloads`} of the app; an app-template service targets exactly one controller` }, index, ['spec', 'selector'])
      return
    }
    const w = targets[0]
    const id = ids[si]
    const primary = services.length > 1 && id === release
    const renderedName = resourceName(release, id, services.length, major, primary)
    const ports: Obj = {}
    const portMap: Record<string, number> = {}
    const declared: ServiceInfo['declared'] = []
    const list = arr(spec.ports)
    list.forEach((raw, pi) => {
      const p = obj(raw)
      const at = ['spec', 'ports', pi]
      for (const k of Object.keys(p)) {
        if (!['name', 'port', 'targetPort', 'protocol', 'appProtocol'].includes(k) && !(k === 'nodePort' && spec.type === 'NodePort')) {
          report({ severity: 'error', rule: 'unsupported-field', message: `Service ${name} port field \`${k}\` has no app-template key` }, index, [...at, k])
        }
      }
      const portName = str(p.name) ?? (list.length === 1 ? unnamedPortName(p, w.pod) : undefined)
      const number = portNumber(p.port)
      const target = resolveTarget(p.targetPort, p.port, w.pod)
      if (portName === undefined || number === undefined) {
        report({ severity: 'error', rule: 'service-port', message: `Service ${name} port ${pi} needs a name and a numeric port` }, index, at)
        return
      }
      if (target === undefined) {
        report({ severity: 'error', rule: 'service-port', message: `Service ${name} port ${portName} targets ${String(p.targetPort)}, which no container of ${w.controller} declares` }, index, [...at, 'targetPort'])
        return
      }
      if (p.name === undefined) report({ severity: 'info', rule: 'port-named', message: `Service ${name}'s only port is named ${portName}: app-template keys ports by name` }, index, at)
      const seen = portNames.get(w.controller) ?? new Map<string, number>()
      portNames.set(w.controller, seen)
      if (seen.has(portName)) report({ severity: 'error', rule: 'port-name-clash', message: `Service ${name} port ${portName} clashes with another Service's port of controller ${w.controller}: app-template declares each as a container port of that name`, hint: 'rename one of the ports' }, index, at)
      seen.set(portName, target)
      const protocol = str(p.protocol)
      ports[portName] = compact({ port: number, targetPort: target !== number ? target : undefined, protocol: protocol && protocol !== 'TCP' ? protocol : undefined, nodePort: p.nodePort, appProtocol: p.appProtocol })
      portMap[portName] = number
      declared.push({ name: portName, containerPort: target, protocol: protocol ?? 'TCP', port: pi })
    })
    const labels = strMap(obj(manifest.metadata).labels)
    const kept = keepLabels(labels, { 'app.kubernetes.io/name': release, 'app.kubernetes.io/instance': release, 'app.kubernetes.io/service': renderedName }, major, (k) =>
      report({ severity: 'info', rule: 'label-dropped', message: `Service ${name} label ${k}: ${labels[k]} is dropped: app-template sets that key itself`, loss: true }, index, ['metadata', 'labels', k]),
    )
    const svc: Obj = { controller: w.controller }
    if (primary && major < 4) svc.primary = true
    if (spec.type !== undefined && spec.type !== 'ClusterIP') svc.type = spec.type
    for (const k of COPIED) if (spec[k] !== undefined && !(k in DEFAULTS && spec[k] === DEFAULTS[k])) svc[k] = spec[k]
    const annotations = obj(obj(manifest.metadata).annotations)
    if (Object.keys(annotations).length > 0) svc.annotations = annotations
    if (Object.keys(kept).length > 0) svc.labels = kept
    svc.ports = ports
    values[id] = svc
    if (renderedName !== name) {
      report({ severity: 'warning', rule: 'service-renamed', message: `Service ${name} becomes ${renderedName} (app-template's name for ${services.length === 1 ? 'the release\'s only Service' : `service ${id}`}); references inside the app are updated`, hint: `other apps that reach ${name} must use ${renderedName}`, loss: true }, index, ['metadata', 'name'])
    }
    infos.push({ index, identifier: id, originalName: name, renderedName, controller: w.controller, ports: portMap, labels, renderedLabels: { ...kept, 'app.kubernetes.io/name': release, 'app.kubernetes.io/instance': release, 'app.kubernetes.io/service': renderedName }, declared })
  })
  return { values, infos }
}

/** A lone unnamed port gets the name of the container port it reaches, else `http`. */
function unnamedPortName(p: Obj, pod: Obj): string {
  const target = resolveTarget(p.targetPort, p.port, pod)
  for (const c of arr(pod.containers)) {
    for (const cp of arr(obj(c).ports)) if (portNumber(obj(cp).containerPort) === target && typeof obj(cp).name === 'string') return obj(cp).name as string
  }
  return 'http'
}

/** Labels to carry: all but the chart's own keys (a different value there is reported through `drop`). */
export function keepLabels(labels: Record<string, string>, chartValues: Record<string, string>, major: number, drop: (key: string) => void): Record<string, string> {
  const owned = chartOwnedKeys(major)
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(labels)) {
    if (!owned.includes(k)) out[k] = v
    else if (chartValues[k] !== v) drop(k)
  }
  return out
}
