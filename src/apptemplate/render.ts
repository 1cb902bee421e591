/**
 * A model of what bjw-s app-template (common 3.7.x and 4.x) renders for the values keys this tool emits: workload,
 * Service, ServiceMonitor and HTTPRoute manifests with the chart's names, labels and selectors. Keys it does not model are
 * listed in `unmodelled`, so a comparison never passes by ignoring them.
 */
import { chartMajor, commonLabels, resourceName, selectorLabels } from './naming.ts'
import { podOptions, renderContainers, renderVolumes, type PodContext } from './render-pod.ts'
import { renderRoutes } from './render-route.ts'
import type { Obj } from './types.ts'
import { arr, compact, obj, portNumber, str } from './util.ts'

/** A rendered resource and the values key it came from. */
export interface Rendered {
  kind: string
  identifier: string
  manifest: Obj
}

/** The model's rendering of a release. */
export interface RenderedApp {
  resources: Rendered[]
  /** Values paths the model does not render. */
  unmodelled: string[]
}

const TOP = ['controllers', 'defaultPodOptions', 'service', 'serviceMonitor', 'persistence', 'route']
const CONTROLLER_KEYS = ['enabled', 'type', 'annotations', 'labels', 'replicas', 'strategy', 'rollingUpdate', 'revisionHistoryLimit', 'cronjob', 'job', 'statefulset', 'pod', 'containers', 'initContainers']
const SERVICE_KEYS = ['enabled', 'controller', 'primary', 'type', 'annotations', 'labels', 'ports', 'externalTrafficPolicy', 'internalTrafficPolicy', 'loadBalancerIP', 'loadBalancerClass', 'loadBalancerSourceRanges', 'ipFamilyPolicy', 'ipFamilies', 'externalIPs']
const KIND: Record<string, [string, string]> = {
  deployment: ['apps/v1', 'Deployment'],
  statefulset: ['apps/v1', 'StatefulSet'],
  daemonset: ['apps/v1', 'DaemonSet'],
  cronjob: ['batch/v1', 'CronJob'],
  job: ['batch/v1', 'Job'],
}

const enabled = (m: unknown) => Object.entries(obj(m)).filter(([, v]) => obj(v).enabled !== false)

/** Renders values as app-template would for release `release` at chart version `chartVersion`. */
export function renderAppTemplate(values: Obj, release: string, chartVersion: string): RenderedApp {
  const major = chartMajor(chartVersion)
  const unmodelled: string[] = []
  const un = (p: string) => unmodelled.push(p)
  for (const k of Object.keys(values)) if (!TOP.includes(k)) un(k)
  const common = commonLabels(release, chartVersion)
  const services = enabled(values.service)
  const primaryOf = (id: string, v: Obj) => v.primary === true || (services.length > 1 && id === release && major >= 4)
  const svcName = (id: string, v: Obj) => resourceName(release, id, services.length, major, primaryOf(id, v))
  const resources: Rendered[] = []
  const controllers = enabled(values.controllers)
  for (const [id, raw] of controllers) {
    const c = obj(raw)
    for (const k of Object.keys(c)) if (!CONTROLLER_KEYS.includes(k)) un(`controllers.${id}.${k}`)
    const type = str(c.type) ?? 'deployment'
    const name = resourceName(release, id, controllers.length, major)
    const sel = selectorLabels(release, id, major)
    const own = services.filter(([, s]) => obj(s).controller === id)
    const ports = own.flatMap(([, s]) => Object.entries(obj(obj(s).ports)).filter(([, p]) => obj(p).enabled !== false).sort(([a], [b]) => (a < b ? -1 : 1)).map(([pn, p]) => ({ name: pn, containerPort: obj(p).targetPort ?? obj(p).port, protocol: protocolOf(obj(p).protocol) })))
    const vcts = arr(obj(c.statefulset).volumeClaimTemplates).map(obj)
    const pod = obj(c.pod)
    const options = podOptions(omit(obj(values.defaultPodOptions), ['labels', 'annotations']), omit(pod, ['labels', 'annotations']), type, un)
    const ctx: PodContext = {
      controller: id,
      type,
      options,
      ports,
      primaryPort: portNumber(own.length > 0 ? (Object.values(obj(obj(own[0][1]).ports)).map(obj)[0]?.port as unknown) : undefined),
      persistence: obj(values.persistence),
      extraMounts: vcts.flatMap((t) => arr(t.globalMounts).map((m) => compact({ name: t.name, mountPath: obj(m).path, subPath: obj(m).subPath, readOnly: obj(m).readOnly }))),
      unmodelled: un,
    }
    const initContainers = renderContainers(c.initContainers, ctx, false, `controllers.${id}.initContainers`)
    const podSpec: Obj = { ...options }
    if (initContainers.length > 0) podSpec.initContainers = initContainers
    podSpec.containers = renderContainers(c.containers, ctx, true, `controllers.${id}.containers`)
    const volumes = renderVolumes(ctx)
    if (volumes.length > 0) podSpec.volumes = volumes
    const template = {
      metadata: compact({ labels: { ...obj(obj(values.defaultPodOptions).labels), ...obj(pod.labels), ...sel }, annotations: nonEmpty({ ...obj(obj(values.defaultPodOptions).annotations), ...obj(pod.annotations) }) }),
      spec: podSpec,
    }
    const [apiVersion, kind] = KIND[type] ?? ['apps/v1', type]
    const manifest: Obj = { apiVersion, kind, metadata: compact({ name, labels: { ...obj(c.labels), ...common, ...sel }, annotations: nonEmpty(obj(c.annotations)) }), spec: workloadSpec(type, c, name, sel, template, vcts) }
    resources.push({ kind, identifier: id, manifest })
  }
  for (const [id, raw] of services) {
    const s = obj(raw)
    for (const k of Object.keys(s)) if (!SERVICE_KEYS.includes(k)) un(`service.${id}.${k}`)
    const name = svcName(id, s)
    const ports = Object.entries(obj(s.ports))
      .filter(([, p]) => obj(p).enabled !== false)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([pn, p]) => compact({ name: pn, port: obj(p).port, targetPort: obj(p).targetPort ?? pn, protocol: protocolOf(obj(p).protocol), nodePort: obj(p).nodePort, appProtocol: obj(p).appProtocol }))
    const spec: Obj = { type: s.type ?? 'ClusterIP' }
    for (const k of SERVICE_KEYS.slice(7)) if (s[k] !== undefined) spec[k] = s[k]
    spec.ports = ports
    spec.selector = selectorLabels(release, String(s.controller), major)
    const manifest = { apiVersion: 'v1', kind: 'Service', metadata: compact({ name, labels: { ...obj(s.labels), ...common, 'app.kubernetes.io/service': name }, annotations: nonEmpty(obj(s.annotations)) }), spec }
    resources.push({ kind: 'Service', identifier: id, manifest })
  }
  const monitors = enabled(values.serviceMonitor)
  for (const [id, raw] of monitors) {
    const m = obj(raw)
    for (const k of Object.keys(m)) if (!['enabled', 'service', 'serviceName', 'labels', 'annotations', 'endpoints', 'targetLabels'].includes(k)) un(`serviceMonitor.${id}.${k}`)
    const ref = obj(m.service)
    let target = str(m.serviceName) ?? str(ref.name)
    if (ref.identifier !== undefined) {
      const found = services.find(([sid]) => sid === ref.identifier)
      if (major < 4) un(`serviceMonitor.${id}.service.identifier`)
      target = found ? svcName(found[0], obj(found[1])) : undefined
    }
    const spec = compact({ selector: { matchLabels: { 'app.kubernetes.io/service': target ?? '', 'app.kubernetes.io/name': release, 'app.kubernetes.io/instance': release } }, endpoints: m.endpoints, targetLabels: m.targetLabels })
    const manifest = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: compact({ name: resourceName(release, id, monitors.length, major), labels: { ...obj(m.labels), ...common }, annotations: nonEmpty(obj(m.annotations)) }), spec }
    resources.push({ kind: 'ServiceMonitor', identifier: id, manifest })
  }
  resources.push(...renderRoutes(values.route, release, common, major, { entries: services, name: svcName }, un))
  return { resources, unmodelled }
}

function workloadSpec(type: string, c: Obj, name: string, sel: Record<string, string>, template: Obj, vcts: Obj[]): Obj {
  const selector = { matchLabels: sel }
  const ru = obj(c.rollingUpdate)
  if (type === 'cronjob') {
    const cj = obj(c.cronjob)
    return compact({
      schedule: cj.schedule,
      timeZone: cj.timeZone,
      concurrencyPolicy: cj.concurrencyPolicy ?? 'Forbid',
      startingDeadlineSeconds: cj.startingDeadlineSeconds,
      successfulJobsHistoryLimit: cj.successfulJobsHistory ?? 1,
      failedJobsHistoryLimit: cj.failedJobsHistory ?? 1,
      suspend: cj.suspend ?? false,
      jobTemplate: { spec: compact({ backoffLimit: cj.backoffLimit ?? 6, ttlSecondsAfterFinished: cj.ttlSecondsAfterFinished, parallelism: cj.parallelism, template }) },
    })
  }
  if (type === 'job') {
    const j = obj(c.job)
    return compact({ backoffLimit: j.backoffLimit ?? 6, ttlSecondsAfterFinished: j.ttlSecondsAfterFinished, parallelism: j.parallelism, suspend: j.suspend, template })
  }
  const strategy = str(c.strategy)
  if (type === 'deployment') {
    const s = strategy ?? 'Recreate'
    const rollingUpdate = s === 'RollingUpdate' ? nonEmpty(compact({ maxSurge: ru.surge, maxUnavailable: ru.unavailable })) : undefined
    return compact({ replicas: c.replicas ?? 1, revisionHistoryLimit: c.revisionHistoryLimit ?? 3, strategy: compact({ type: s, rollingUpdate }), selector, template })
  }
  const updateStrategy = compact({ type: strategy ?? 'RollingUpdate', rollingUpdate: nonEmpty(compact({ partition: ru.partition, maxUnavailable: ru.unavailable, maxSurge: ru.surge })) })
  if (type === 'daemonset') return compact({ revisionHistoryLimit: c.revisionHistoryLimit ?? 3, updateStrategy, selector, template })
  const st = obj(c.statefulset)
  const claims = vcts.map((t) =>
    ({ metadata: compact({ name: t.name, labels: t.labels, annotations: t.annotations }), spec: compact({ accessModes: [t.accessMode], resources: { requests: { storage: t.size } }, storageClassName: t.storageClass === '-' ? '' : t.storageClass, dataSource: t.dataSource, dataSourceRef: t.dataSourceRef }) }),
  )
  return compact({ replicas: c.replicas ?? 1, revisionHistoryLimit: c.revisionHistoryLimit ?? 3, serviceName: name, podManagementPolicy: st.podManagementPolicy, updateStrategy, selector, template, volumeClaimTemplates: claims.length > 0 ? claims : undefined })
}

/** app-template's HTTP and HTTPS port protocols are TCP on the wire. */
function protocolOf(p: unknown): string {
  return p === undefined || p === 'HTTP' || p === 'HTTPS' || p === 'TCP' ? 'TCP' : String(p)
}

const nonEmpty = (o: Obj | undefined): Obj | undefined => (o && Object.keys(o).length > 0 ? o : undefined)
const omit = (o: Obj, keys: string[]): Obj => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)))
