/** Model of app-template's pod rendering: containers (image, env order, probes, ports), pod options, volumes, mounts. */
import { POD_OPTIONS } from './controller.ts'
import type { Obj } from './types.ts'
import { arr, compact, depList, isObj, kahn, obj, str } from './util.ts'

const CONTAINER_KEYS = ['dependsOn', 'image', 'command', 'args', 'workingDir', 'env', 'envFrom', 'probes', 'resources', 'securityContext', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'stdin', 'tty', 'enabled']
const PASSED = ['command', 'args', 'workingDir', 'envFrom', 'resources', 'securityContext', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'stdin', 'tty'] as const
const PERSISTENCE_KEYS = ['enabled', 'type', 'existingClaim', 'medium', 'sizeLimit', 'hostPath', 'hostPathType', 'server', 'path', 'name', 'defaultMode', 'items', 'globalMounts', 'advancedMounts']

/** What rendering one controller's pod needs. */
export interface PodContext {
  controller: string
  type: string
  /** Effective pod options (defaults, defaultPodOptions, the controller's pod). */
  options: Obj
  /** Service ports of this controller, as container ports. */
  ports: Obj[]
  /** The primary Service port number, for default probes. */
  primaryPort: number | undefined
  persistence: Obj
  /** Extra mounts (volumeClaimTemplates) for every container. */
  extraMounts: Obj[]
  unmodelled: (path: string) => void
}

/** Renders `env` (a map) the way the chart does: alphabetical, then `dependsOn`; scalars quoted. */
export function renderEnv(env: unknown): Obj[] | undefined {
  if (env === undefined) return undefined
  if (Array.isArray(env)) return env as Obj[]
  const m = obj(env)
  const order = kahn(Object.keys(m), (k) => depList(obj(m[k]).dependsOn)) ?? Object.keys(m).sort()
  return order.map((name) => {
    const v = m[name]
    if (isObj(v)) return v.valueFrom !== undefined ? { name, valueFrom: v.valueFrom } : { name, value: String(v.value ?? '') }
    return { name, value: v === null || v === undefined ? '' : String(v) }
  })
}

function renderProbe(p: unknown, primaryPort: number | undefined): Obj | undefined {
  const v = isObj(p) ? p : {}
  if (v.enabled === false) return undefined
  if (v.custom === true) return obj(v.spec)
  if (primaryPort === undefined) return undefined
  return { tcpSocket: { port: primaryPort }, initialDelaySeconds: 0, failureThreshold: 3, timeoutSeconds: 1, periodSeconds: 10 }
}

function mountsFor(ctx: PodContext, containerId: string): Obj[] {
  const out: Obj[] = []
  for (const name of Object.keys(ctx.persistence).sort()) {
    const p = obj(ctx.persistence[name])
    if (p.enabled === false) continue
    const list = [...arr(p.globalMounts), ...arr(obj(obj(p.advancedMounts)[ctx.controller])[containerId])]
    for (const m of list.map(obj)) out.push(compact({ name, mountPath: m.path ?? `/${name}`, subPath: m.subPath, readOnly: m.readOnly }))
  }
  return [...out, ...ctx.extraMounts]
}

function renderContainer(id: string, v: Obj, ctx: PodContext, withPorts: boolean, where: string): Obj {
  for (const k of Object.keys(v)) if (!CONTAINER_KEYS.includes(k)) ctx.unmodelled(`${where}.${k}`)
  const image = obj(v.image)
  const c: Obj = { name: id, image: `${String(image.repository)}:${String(image.tag)}` }
  if (image.pullPolicy !== undefined) c.imagePullPolicy = image.pullPolicy
  for (const k of PASSED) if (v[k] !== undefined) c[k] = v[k]
  const env = renderEnv(v.env)
  if (env) c.env = env
  if (withPorts && ctx.ports.length > 0) c.ports = ctx.ports
  const probes = obj(v.probes)
  for (const [key, field] of [['liveness', 'livenessProbe'], ['readiness', 'readinessProbe'], ['startup', 'startupProbe']] as const) {
    const p = renderProbe(probes[key], ctx.primaryPort)
    if (p) c[field] = p
  }
  const mounts = mountsFor(ctx, id)
  if (mounts.length > 0) c.volumeMounts = mounts
  return c
}

/** Containers of one map in the chart's order (alphabetical, then `dependsOn`). */
export function renderContainers(map: unknown, ctx: PodContext, withPorts: boolean, where: string): Obj[] {
  const m = obj(map)
  const ids = Object.keys(m).filter((k) => obj(m[k]).enabled !== false)
  const order = kahn(ids, (k) => depList(obj(m[k]).dependsOn)) ?? ids.sort()
  return order.map((id, i) => renderContainer(id, obj(m[id]), ctx, withPorts && i === 0, `${where}.${id}`))
}

/** Pod volumes: every persistence item mounted by this controller. */
export function renderVolumes(ctx: PodContext): Obj[] {
  const out: Obj[] = []
  for (const name of Object.keys(ctx.persistence).sort()) {
    const p = obj(ctx.persistence[name])
    for (const k of Object.keys(p)) if (!PERSISTENCE_KEYS.includes(k)) ctx.unmodelled(`persistence.${name}.${k}`)
    if (p.enabled === false) continue
    const mounted = arr(p.globalMounts).length > 0 || isObj(obj(p.advancedMounts)[ctx.controller])
    if (!mounted) continue
    const type = str(p.type) ?? 'persistentVolumeClaim'
    let source: Obj
    if (type === 'persistentVolumeClaim') source = { persistentVolumeClaim: { claimName: p.existingClaim } }
    else if (type === 'emptyDir') source = { emptyDir: compact({ medium: p.medium, sizeLimit: p.sizeLimit }) }
    else if (type === 'hostPath') source = { hostPath: compact({ path: p.hostPath, type: p.hostPathType }) }
    else if (type === 'nfs') source = { nfs: { server: p.server, path: p.path } }
    else if (type === 'configMap') source = { configMap: compact({ name: p.name, defaultMode: p.defaultMode, items: p.items }) }
    else if (type === 'secret') source = { secret: compact({ secretName: p.name, defaultMode: p.defaultMode, items: p.items }) }
    else {
      ctx.unmodelled(`persistence.${name}.type=${type}`)
      continue
    }
    out.push({ name, ...source })
  }
  return out
}

/** Effective pod options: the chart's defaults, then `defaultPodOptions`, then the controller's `pod` (per key). */
export function podOptions(defaults: Obj, own: Obj, type: string, unmodelled: (p: string) => void): Obj {
  const merged = { ...defaults, ...own }
  for (const k of Object.keys(merged)) if (!(POD_OPTIONS as readonly string[]).includes(k) && k !== 'labels' && k !== 'annotations') unmodelled(`pod.${k}`)
  const out: Obj = {
    enableServiceLinks: false,
    automountServiceAccountToken: true,
    restartPolicy: type === 'cronjob' || type === 'job' ? 'Never' : 'Always',
    ...merged,
  }
  if (out.dnsPolicy === undefined) out.dnsPolicy = out.hostNetwork === true ? 'ClusterFirstWithHostNet' : 'ClusterFirst'
  return out
}
