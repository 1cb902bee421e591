/** One container (or init container) of a workload → `containers.<id>` values. */
import { CONTAINER_FIELDS, unsupportedField } from './kube-fields.ts'
import { applyImages, toImageValues } from './images.ts'
import type { Finding, KeyPath, KustomizeImage, Obj } from './types.ts'
import { arr, compact, isObj, kahn, obj, portNumber, str, varRefs } from './util.ts'

/** Container fields app-template expresses (ports and volumeMounts go through services and persistence). */
const KEYS = new Set([
  'name', 'image', 'imagePullPolicy', 'command', 'args', 'workingDir', 'env', 'envFrom', 'ports', 'volumeMounts',
  'livenessProbe', 'readinessProbe', 'startupProbe', 'resources', 'securityContext', 'lifecycle',
  'terminationMessagePath', 'terminationMessagePolicy', 'stdin', 'tty',
])
const COPIED = ['command', 'args', 'workingDir'] as const
const TAIL = ['resources', 'securityContext', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'stdin', 'tty'] as const
const PORT_KEYS = new Set(['name', 'containerPort', 'protocol'])
/** app-template probe keys and the container fields they stand for. */
export const PROBES = [['liveness', 'livenessProbe'], ['readiness', 'readinessProbe'], ['startup', 'startupProbe']] as const

/** Where a container is and how to report on it. */
export interface ContainerContext {
  index: number
  /** Key path of the container in its manifest. */
  path: KeyPath
  images: readonly KustomizeImage[]
  report(f: Omit<Finding, 'at'>, path?: KeyPath): void
}

/** A container's values and the `images:` entry applied to it. */
export interface ConvertedContainer {
  values: Obj
  /** Index of the `images:` entry applied, if any. */
  imageUsed?: number
}

/** The container's values; problems are reported (an error keeps the app raw). */
export function convertContainer(c: Obj, ctx: ContainerContext): ConvertedContainer {
  const name = str(c.name) ?? '?'
  for (const k of Object.keys(c)) {
    if (!KEYS.has(k)) ctx.report(unsupportedField(`container ${name}`, k, CONTAINER_FIELDS), [k])
  }
  const v: Obj = {}
  const { image, used } = applyImages(str(c.image) ?? '', ctx.images)
  const img = toImageValues(image)
  if (!img) ctx.report({ severity: 'error', rule: 'digest-only-image', message: `container ${name} image ${image} has a digest but no tag, which app-template's repository:tag cannot spell`, hint: 'add the tag in front of the digest (tag@sha256:…)' }, ['image'])
  else {
    if (img.impliedLatest) ctx.report({ severity: 'info', rule: 'image-latest', message: `container ${name} image ${image} has no tag: written as tag latest, which is what the runtime pulls` }, ['image'])
    v.image = compact({ repository: img.repository, tag: img.tag, pullPolicy: c.imagePullPolicy })
  }
  for (const k of COPIED) if (c[k] !== undefined) v[k] = c[k]
  if (c.env !== undefined) v.env = convertEnv(c.env, name, ctx)
  if (c.envFrom !== undefined) v.envFrom = c.envFrom
  const ports = containerPorts(c, name, ctx)
  const probes: Obj = {}
  const renamed: string[] = []
  for (const [key, field] of PROBES) probes[key] = convertProbe(c[field], ports, name, field, ctx, renamed)
  v.probes = probes
  if (renamed.length > 0) {
    const first = PROBES.find(([, f]) => c[f] !== undefined)![1]
    ctx.report({ severity: 'info', rule: 'probe-port-number', message: `container ${name} probe ports ${[...new Set(renamed)].join(', ')} are written as numbers: app-template declares container ports from Services, not per container` }, [first])
  }
  for (const k of TAIL) if (c[k] !== undefined) v[k] = c[k]
  return { values: v, imageUsed: used }
}

/** Declared ports by name, checking for the ones app-template cannot declare. */
function containerPorts(c: Obj, name: string, ctx: ContainerContext): Record<string, number> {
  const out: Record<string, number> = {}
  arr(c.ports).forEach((p, i) => {
    const port = obj(p)
    for (const k of Object.keys(port)) {
      if (!PORT_KEYS.has(k)) ctx.report({ severity: 'error', rule: 'unsupported-field', message: `container ${name} port field \`${k}\` has no app-template key (container ports come from Services)` }, ['ports', i, k])
    }
    const n = portNumber(port.containerPort)
    if (typeof port.name === 'string' && n !== undefined) out[port.name] = n
  })
  return out
}

/** `env` list → map; `valueFrom` kept; `dependsOn` where `$(VAR)` expansion needs an order the sorted map would lose. */
function convertEnv(env: unknown, container: string, ctx: ContainerContext): Obj {
  const list = arr(env)
  const names = list.map((e) => str(obj(e).name) ?? '')
  const out: Obj = {}
  list.forEach((e, i) => {
    const entry = obj(e)
    const n = names[i]
    for (const k of Object.keys(entry)) {
      if (k !== 'name' && k !== 'value' && k !== 'valueFrom') ctx.report({ severity: 'error', rule: 'unsupported-field', message: `container ${container} env ${n} field \`${k}\` is not a Kubernetes env field` }, ['env', i, k])
    }
    if (names.indexOf(n) !== i) {
      ctx.report({ severity: 'error', rule: 'duplicate-env', message: `container ${container} sets env ${n} twice; an env map holds it once`, hint: 'remove the duplicate (Kubernetes uses the last one)' }, ['env', i])
      return
    }
    out[n] = entry.valueFrom !== undefined ? { valueFrom: entry.valueFrom } : entry.value === undefined || entry.value === null ? '' : entry.value
  })
  // Kubernetes expands $(X) only from variables listed earlier: keep that relation under app-template's ordering.
  const deps = new Map<string, Set<string>>()
  const need = (after: string, before: string) => {
    if (!deps.has(after)) deps.set(after, new Set())
    deps.get(after)!.add(before)
  }
  names.forEach((n, i) => {
    const value = str(obj(list[i]).value)
    if (value === undefined) return
    for (const ref of varRefs(value)) {
      const j = names.indexOf(ref)
      if (j < 0 || ref === n) continue
      if (j < i) need(n, ref)
      else need(ref, n)
    }
  })
  if (deps.size === 0) return out
  const ids = Object.keys(out)
  const order = kahn(ids, (id) => [...(deps.get(id) ?? [])])
  if (!order) {
    ctx.report({ severity: 'error', rule: 'env-order', message: `container ${container} env variables reference each other in a cycle that an env map cannot order` }, ['env'])
    return out
  }
  for (const [n, before] of deps) {
    const cur = out[n]
    const dependsOn = [...before].sort()
    out[n] = isObj(cur) ? { ...cur, dependsOn } : { value: cur, dependsOn }
  }
  return out
}

/** A probe → `custom: true` with the original spec (named ports resolved to numbers), or `enabled: false`. */
function convertProbe(probe: unknown, ports: Record<string, number>, container: string, field: string, ctx: ContainerContext, renamed: string[]): Obj {
  if (probe === undefined || probe === null) return { enabled: false }
  const spec = structuredCopy(obj(probe))
  for (const handler of ['httpGet', 'tcpSocket']) {
    const h = spec[handler]
    if (!isObj(h) || typeof h.port !== 'string' || portNumber(h.port) !== undefined) continue
    const n = ports[h.port]
    if (n === undefined) {
      ctx.report({ severity: 'warning', rule: 'probe-port-unknown', message: `container ${container} ${field} uses port ${h.port}, which the container does not declare; kept as is` }, [field, handler, 'port'])
      continue
    }
    renamed.push(`${h.port} → ${n}`)
    spec[handler] = { ...h, port: n }
  }
  return { enabled: true, custom: true, spec }
}

function structuredCopy(o: Obj): Obj {
  return JSON.parse(JSON.stringify(o)) as Obj
}
