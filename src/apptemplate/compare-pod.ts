/** Comparison of two pod specs by what Kubernetes does with them (defaults filled, named probe ports resolved). */
import { POD_OPTIONS } from './controller.ts'
import { parseImage } from './images.ts'
import type { KeyPath, Obj } from './types.ts'
import { arr, deepEqual, isObj, obj, portNumber, str, varRefs } from './util.ts'

/** Records a difference at a key path of the original manifest (of another manifest when `index` is given). */
export type Diff = (path: KeyPath, message: string, index?: number) => void

/** Where an extra declared port comes from: the original Service port that makes the chart declare it. */
export type PortOrigin = (name: string, containerPort: unknown, protocol: string) => { index: number; path: KeyPath } | undefined

/** Kubernetes' defaults of the pod fields compared. */
const POD_DEFAULTS: Obj = {
  dnsPolicy: 'ClusterFirst',
  enableServiceLinks: true,
  automountServiceAccountToken: true,
  hostNetwork: false,
  hostPID: false,
  hostIPC: false,
  restartPolicy: 'Always',
  schedulerName: 'default-scheduler',
  terminationGracePeriodSeconds: 30,
  securityContext: {},
}
const CONTAINER_DEFAULTS: Obj = { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', stdin: false, tty: false }
const CONTAINER_FIELDS = ['command', 'args', 'workingDir', 'envFrom', 'resources', 'securityContext', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'stdin', 'tty']
const PROBE_DEFAULTS: Obj = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 }

const show = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v))
const eff = (o: Obj, k: string, d: Obj) => (o[k] === undefined ? d[k] : o[k])

/** The pull policy Kubernetes applies when none is given. */
function pullPolicy(c: Obj): unknown {
  if (c.imagePullPolicy !== undefined) return c.imagePullPolicy
  const img = parseImage(str(c.image) ?? '')
  return img.digest === undefined && (img.tag === undefined || img.tag === 'latest') ? 'Always' : 'IfNotPresent'
}

/** A probe with defaults filled and named ports resolved against its own container. */
function probe(p: unknown, c: Obj): unknown {
  if (!isObj(p)) return undefined
  const out: Obj = { ...PROBE_DEFAULTS, ...p }
  for (const h of ['httpGet', 'tcpSocket']) {
    const handler = obj(out[h])
    if (!isObj(out[h])) continue
    const named = typeof handler.port === 'string' && portNumber(handler.port) === undefined
    const port = named ? arr(c.ports).map(obj).find((x) => x.name === handler.port)?.containerPort ?? handler.port : portNumber(handler.port)
    out[h] = h === 'httpGet' ? { path: '/', scheme: 'HTTP', ...handler, port } : { ...handler, port }
  }
  return out
}

/** Env as Kubernetes sees it: each variable's value or source, and which `$(VAR)` references it can expand. */
function env(list: unknown): Map<string, { value: unknown; expands: string[] }> {
  const out = new Map<string, { value: unknown; expands: string[] }>()
  const seen: string[] = []
  const all = arr(list).map(obj)
  const names = all.map((e) => String(e.name))
  for (const e of all) {
    const name = String(e.name)
    const value = e.valueFrom !== undefined ? { valueFrom: e.valueFrom } : String(e.value ?? '')
    const expands = typeof value === 'string' ? varRefs(value).filter((r) => seen.includes(r) && names.includes(r)) : []
    out.set(name, { value, expands })
    seen.push(name)
  }
  return out
}

function mountKey(m: Obj): string {
  return JSON.stringify([m.mountPath, m.name, m.subPath ?? '', m.readOnly === true])
}

/** Compares one original container with its rendered counterpart. */
export function compareContainer(o: Obj, r: Obj, base: KeyPath, diff: Diff): void {
  if (o.name !== r.name) diff([...base, 'name'], `container name ${show(o.name)} is rendered as ${show(r.name)}`)
  if (o.image !== r.image) diff([...base, 'image'], `image ${show(o.image)} ≠ ${show(r.image)}`)
  if (pullPolicy(o) !== pullPolicy(r)) diff([...base, 'imagePullPolicy'], `imagePullPolicy ${show(pullPolicy(o))} ≠ ${show(pullPolicy(r))}`)
  for (const k of CONTAINER_FIELDS) {
    if (!deepEqual(eff(o, k, CONTAINER_DEFAULTS), eff(r, k, CONTAINER_DEFAULTS))) diff([...base, k], `${k} ${show(o[k])} ≠ ${show(r[k])}`)
  }
  const oe = env(o.env)
  const re = env(r.env)
  arr(o.env).forEach((e, i) => {
    const name = String(obj(e).name)
    const a = oe.get(name)!
    const b = re.get(name)
    if (!b) diff([...base, 'env', i], `env ${name} is not rendered`)
    else if (!deepEqual(a.value, b.value)) diff([...base, 'env', i], `env ${name} ${show(a.value)} ≠ ${show(b.value)}`)
    else if (a.expands.join() !== b.expands.join()) diff([...base, 'env', i], `env ${name} expands ${show(a.expands)} but the rendering expands ${show(b.expands)}`)
  })
  for (const name of re.keys()) if (!oe.has(name)) diff([...base, 'env'], `env ${name} is rendered but not in the original`)
  for (const [f] of [['livenessProbe'], ['readinessProbe'], ['startupProbe']]) {
    if (!deepEqual(probe(o[f], o), probe(r[f], r))) diff([...base, f], `${f} ${show(o[f])} ≠ ${show(r[f])}`)
  }
  const om = arr(o.volumeMounts).map(obj)
  const rm = new Set(arr(r.volumeMounts).map(obj).map(mountKey))
  om.forEach((m, i) => {
    if (!rm.has(mountKey(m))) diff([...base, 'volumeMounts', i], `mount ${show(m.name)} at ${show(m.mountPath)} is not rendered the same`)
  })
  if (arr(r.volumeMounts).length !== om.length) diff([...base, 'volumeMounts'], `${om.length} mounts ≠ ${arr(r.volumeMounts).length} rendered`)
}

/** Compares pod-level fields and volumes. */
export function comparePodFields(o: Obj, r: Obj, base: KeyPath, diff: Diff, origin: PortOrigin): void {
  for (const k of POD_OPTIONS) {
    if (!deepEqual(eff(o, k, POD_DEFAULTS), eff(r, k, POD_DEFAULTS))) diff([...base, k], `${k} ${show(o[k])} ≠ ${show(r[k])}`)
  }
  const rv = new Map(arr(r.volumes).map(obj).map((v) => [String(v.name), v]))
  arr(o.volumes).forEach((v, i) => {
    const ov = obj(v)
    const other = rv.get(String(ov.name))
    if (!other || !deepEqual(normVolume(ov), normVolume(other))) diff([...base, 'volumes', i], `volume ${show(ov.name)} ${show(ov)} ≠ ${show(other)}`)
  })
  if (rv.size !== arr(o.volumes).length) diff([...base, 'volumes'], `${arr(o.volumes).length} volumes ≠ ${rv.size} rendered`)
  const declared = (p: Obj) => new Set(arr(p.containers).flatMap((c) => arr(obj(c).ports).map(obj).map((x) => JSON.stringify([x.name ?? '', x.containerPort, x.protocol ?? 'TCP', x.hostPort ?? null]))))
  const od = declared(o)
  const rd = declared(r)
  arr(o.containers).forEach((c, ci) =>
    arr(obj(c).ports).forEach((x, pi) => {
      const p = obj(x)
      if (!rd.has(JSON.stringify([p.name ?? '', p.containerPort, p.protocol ?? 'TCP', p.hostPort ?? null]))) diff([...base, 'containers', ci, 'ports', pi], `declared port ${show(p)} is not rendered`)
    }),
  )
  for (const k of rd) {
    if (od.has(k)) continue
    const [name, containerPort, protocol] = JSON.parse(k) as [string, unknown, string]
    const at = origin(name, containerPort, protocol)
    const msg = `the rendering declares port ${name}: ${String(containerPort)}, the original does not`
    if (at) diff(at.path, msg, at.index)
    else diff([...base, 'containers'], msg)
  }
}

/** Volume source without Kubernetes' defaults (readOnly false, an empty emptyDir). */
function normVolume(v: Obj): Obj {
  const out: Obj = {}
  for (const [k, x] of Object.entries(v)) {
    if (k === 'name') continue
    out[k] = x === null ? {} : isObj(x) ? Object.fromEntries(Object.entries(x).filter(([kk, vv]) => !(kk === 'readOnly' && vv === false))) : x
  }
  return out
}
