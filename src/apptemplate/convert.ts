/** `toAppTemplate`: an app's raw manifests → one set of bjw-s app-template values, or the reasons it cannot be. */
import { configRefs } from './metadata.ts'
import { convertMonitors } from './monitors.ts'
import { chartMajor } from './naming.ts'
import { convertPersistence } from './persistence.ts'
import { findHosts, ingressBackends, rewriteHosts } from './refs.ts'
import { convertServices, type ServiceInfo } from './services.ts'
import type { ConvertOptions, ConvertResult, Edit, Finding, GeneratedObject, KeyPath, Manifest, Obj } from './types.ts'
import { DEFAULT_CHART_VERSION, WORKLOAD_KINDS } from './types.ts'
import { arr, obj, selects, str, strMap } from './util.ts'
import { convertContainers, get, readWorkloads, type Workload } from './workloads.ts'

/** Kept kinds whose selector picks pods, by key path of their matchLabels. */
const POD_SELECTORS: Record<string, KeyPath> = {
  NetworkPolicy: ['spec', 'podSelector', 'matchLabels'],
  CiliumNetworkPolicy: ['spec', 'endpointSelector', 'matchLabels'],
  PodDisruptionBudget: ['spec', 'selector', 'matchLabels'],
  PodMonitor: ['spec', 'selector', 'matchLabels'],
}

/**
 * Converts the raw manifests of one app. Workloads become controllers, Services services, ServiceMonitors
 * serviceMonitors, Ingresses routes (through `opts.convertIngress`, else they stay raw); everything else stays raw.
 * Any error finding means the app must stay raw (`ok: false`, no values).
 */
export function toAppTemplate(input: readonly Manifest[], opts: ConvertOptions): ConvertResult {
  // Env rewriting edits the workloads: work on a copy, the caller's manifests stay as they were.
  const manifests = structuredClone(input) as Manifest[]
  const findings: Finding[] = []
  const report = (f: Omit<Finding, 'at'>, index: number, path: KeyPath) => findings.push({ ...f, at: { index, path } })
  const major = chartMajor(opts.chartVersion ?? DEFAULT_CHART_VERSION)
  const byKind = (pred: (m: Manifest) => boolean) => manifests.map((manifest, index) => ({ index, manifest })).filter((x) => pred(x.manifest))
  const workloadList = byKind((m) => str(m.kind)! in WORKLOAD_KINDS && /^(apps|batch)\/v1$/.test(str(m.apiVersion) ?? ''))
  const serviceList = byKind((m) => m.kind === 'Service' && m.apiVersion === 'v1')
  const monitorList = byKind((m) => m.kind === 'ServiceMonitor' && String(m.apiVersion).startsWith('monitoring.coreos.com/'))
  const ingressList = byKind((m) => m.kind === 'Ingress' && String(m.apiVersion).startsWith('networking.k8s.io/'))
  const result: ConvertResult = { ok: false, values: undefined, consumed: [], kept: [], findings, identities: { controllers: {}, containers: {}, services: {}, serviceMonitors: {}, routes: {} }, imagesUsed: [], unhash: [], renamedServices: {} }
  if (workloadList.length === 0) return result

  const workloads = readWorkloads(workloadList, opts, report)
  const services = convertServices(serviceList, workloads, opts.release, major, report)
  checkDeclaredPorts(workloads, services.infos, report)
  const renames = new Map(services.infos.filter((s) => s.originalName !== s.renderedName).map((s) => [s.originalName, s.renderedName]))
  result.renamedServices = Object.fromEntries(renames)
  const imagesUsed = new Set<number>()
  for (const w of workloads) {
    rewriteEnv(w, renames, report)
    convertContainers(w, opts, report, imagesUsed)
  }
  const persistence = convertPersistence(workloads, (f, index, path) => report(f, index, path))
  const single = workloads.length === 1
  const controllers: Obj = {}
  for (const w of workloads) {
    const { containers, initContainers, ...rest } = w.values
    const c: Obj = { ...rest }
    if (!single && Object.keys(w.podOptions).length > 0) c.pod = w.podOptions
    if (initContainers) c.initContainers = initContainers
    c.containers = containers
    controllers[w.controller] = c
    result.identities.controllers[w.index] = w.controller
    result.identities.containers[w.index] = w.ids
    result.unhash.push(...generatedRefs(w, opts.generated ?? [], report))
  }
  const monitors = convertMonitors(monitorList, services.infos, opts.release, major, report)
  const values: Obj = { controllers }
  if (single && Object.keys(workloads[0].podOptions).length > 0) values.defaultPodOptions = workloads[0].podOptions
  if (serviceList.length > 0) values.service = services.values
  if (Object.keys(monitors.values).length > 0) values.serviceMonitor = monitors.values
  const routes = convertIngresses(ingressList, services.infos, renames, opts, report, result)
  if (Object.keys(routes).length > 0) values.route = routes
  if (Object.keys(persistence).length > 0) values.persistence = persistence

  for (const s of services.infos) result.identities.services[s.index] = s.identifier
  Object.assign(result.identities.serviceMonitors, monitors.converted)
  const consumed = new Set([...workloadList, ...serviceList].map((x) => x.index))
  for (const i of Object.keys(monitors.converted)) consumed.add(Number(i))
  for (const i of result.consumed) consumed.add(i)
  checkText(manifests, consumed, report)
  const keptEdits = new Map(result.kept.map((k) => [k.index, k.edits]))
  const renamedWorkloads = new Map(workloads.filter((w) => w.renderedName !== obj(w.manifest.metadata).name).map((w) => [`${String(w.manifest.kind)}/${String(obj(w.manifest.metadata).name)}`, w.renderedName]))
  manifests.forEach((m, index) => {
    if (consumed.has(index)) return
    if (!keptEdits.has(index)) keptEdits.set(index, [])
    checkKept(m, index, workloads, services.infos, renames, report)
    for (const ref of workloadRefs(m, renamedWorkloads)) {
      report({ severity: 'warning', rule: 'workload-reference-updated', message: `${String(m.kind)} ${String(obj(m.metadata).name)} refers to ${ref.from}, which app-template names ${ref.to}; updated` }, index, ref.path)
      keptEdits.get(index)!.push({ path: ref.path, value: ref.to })
    }
  })
  result.consumed = [...consumed].sort((a, b) => a - b)
  result.kept = [...keptEdits].sort((a, b) => a[0] - b[0]).map(([index, edits]) => ({ index, edits }))
  result.imagesUsed = [...imagesUsed].sort((a, b) => a - b)
  if (opts.commonLabels && Object.keys(opts.commonLabels).length > 0) {
    findings.push({ severity: 'info', rule: 'common-labels-dropped', message: `commonLabels ${Object.entries(opts.commonLabels).map(([k, v]) => `${k}: ${v}`).join(', ')} are not carried into the chart's resources`, loss: true })
  }
  result.ok = !findings.some((f) => f.severity === 'error')
  result.values = result.ok ? values : undefined
  return result
}

/**
 * Text the values would change the meaning of: `{{` (app-template passes many values through Helm's tpl) and
 * `${…}` in a manifest exempt from Flux substitution (the HelmRelease is not).
 */
function checkText(manifests: readonly Manifest[], consumed: ReadonlySet<number>, report: (f: Omit<Finding, 'at'>, index: number, path: KeyPath) => void): void {
  for (const i of consumed) {
    const meta = obj(manifests[i].metadata)
    const what = `${String(manifests[i].kind)} ${String(meta.name)}`
    const exempt = [obj(meta.annotations), obj(meta.labels)].some((m) => m['kustomize.toolkit.fluxcd.io/substitute'] === 'disabled')
    if (exempt && JSON.stringify(manifests[i]).includes('${')) report({ severity: 'error', rule: 'substitution-disabled', message: `${what} is exempt from Flux substitution but holds \`\${…}\`, which the HelmRelease's values would get substituted`, hint: 'keep the app raw, or write the text as $${…}' }, i, ['metadata'])
    for (const path of templated(manifests[i])) report({ severity: 'error', rule: 'helm-template', message: `${what} has \`{{\` in a value, which Helm would evaluate as a template once it is in the values`, hint: 'keep the app raw, or escape the braces ({{ "{{" }})' }, i, path)
  }
}

/**
 * app-template declares container ports from Services only. A declared port no Service reaches is lost; a Service port
 * no container declared becomes declared (with hostNetwork, also a host port).
 */
function checkDeclaredPorts(workloads: readonly Workload[], services: readonly ServiceInfo[], report: (f: Omit<Finding, 'at'>, index: number, path: KeyPath) => void): void {
  for (const w of workloads) {
    const derived = services.filter((s) => s.controller === w.controller).flatMap((s) => s.declared.map((d) => ({ ...d, svc: s })))
    const key = (name: unknown, n: unknown, p: unknown) => `${String(name)}/${String(n)}/${String(p ?? 'TCP')}`
    const have = new Set(derived.map((d) => key(d.name, d.containerPort, d.protocol)))
    const orig = new Set<string>()
    arr(w.pod.containers).forEach((c, ci) => {
      arr(obj(c).ports).forEach((p, pi) => {
        const port = obj(p)
        const k = key(port.name, port.containerPort, port.protocol)
        orig.add(k)
        if (have.has(k)) return
        report({ severity: 'info', rule: 'container-port-dropped', message: `container ${String(obj(c).name)} port ${String(port.name ?? port.containerPort)}: ${String(port.containerPort)} is not declared by app-template, which declares only the ports Services reach (declaring a port does not open or close it)`, loss: true }, w.index, [...w.podPath, 'containers', ci, 'ports', pi])
      })
    })
    for (const d of derived) {
      if (orig.has(key(d.name, d.containerPort, d.protocol))) continue
      const host = w.pod.hostNetwork === true
      report({ severity: host ? 'warning' : 'info', rule: 'container-port-added', message: `controller ${w.controller} declares container port ${d.name}: ${d.containerPort} for Service ${d.svc.originalName}${host ? ' (with hostNetwork also a host port)' : ''}`, loss: true }, d.svc.index, ['spec', 'ports', d.port])
    }
  }
}

/** `{kind: <workload kind>, name: <renamed>}` references (HPA scaleTargetRef, VPA targetRef, …) in a kept manifest. */
function workloadRefs(v: unknown, renamed: ReadonlyMap<string, string>, path: KeyPath = []): { path: KeyPath; from: string; to: string }[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => workloadRefs(x, renamed, [...path, i]))
  if (!v || typeof v !== 'object') return []
  const o = v as Obj
  const key = `${String(o.kind)}/${String(o.name)}`
  const here = path.length > 0 && typeof o.name === 'string' && renamed.has(key) ? [{ path: [...path, 'name'], from: key, to: renamed.get(key)! }] : []
  return [...here, ...Object.entries(o).flatMap(([k, x]) => workloadRefs(x, renamed, [...path, k]))]
}

function templated(v: unknown, path: KeyPath = []): KeyPath[] {
  if (typeof v === 'string') return v.includes('{{') ? [path] : []
  if (Array.isArray(v)) return v.flatMap((x, i) => templated(x, [...path, i]))
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => templated(x, [...path, k]))
  return []
}

/** In-cluster addresses of renamed Services in env values are rewritten (the app's own references). */
function rewriteEnv(w: Workload, renames: ReadonlyMap<string, string>, report: (f: Omit<Finding, 'at'>, index: number, path: KeyPath) => void): void {
  if (renames.size === 0) return
  for (const key of ['containers', 'initContainers']) {
    arr(w.pod[key]).forEach((c, ci) => {
      arr(obj(c).env).forEach((e, ei) => {
        const entry = obj(e)
        if (typeof entry.value !== 'string') return
        const next = rewriteHosts(entry.value, renames)
        if (next === entry.value) return
        report({ severity: 'info', rule: 'service-reference-updated', message: `env ${String(entry.name)}: ${entry.value} → ${next} (renamed Service)`, loss: true }, w.index, [...w.podPath, key, ci, 'env', ei])
        entry.value = next
      })
    })
  }
}

/** References to generated objects whose names kustomize hashes: a HelmRelease's values are not rewritten by kustomize. */
function generatedRefs(w: Workload, generated: readonly GeneratedObject[], report: (f: Omit<Finding, 'at'>, index: number, path: KeyPath) => void): GeneratedObject[] {
  const out: GeneratedObject[] = []
  for (const ref of configRefs(w.pod)) {
    const g = generated.find((x) => x.kind === ref.kind && x.name === ref.name && x.hashed)
    if (!g) continue
    if (!out.includes(g)) out.push(g)
    report({ severity: 'warning', rule: 'generated-name', message: `${ref.kind} ${ref.name} is generated with a content hash that kustomize adds only to raw manifests; its generator stops hashing (Reloader restarts the pods on change instead)` }, w.index, [...w.podPath, ...ref.path])
  }
  return out
}

function convertIngresses(list: { index: number; manifest: Manifest }[], services: readonly ServiceInfo[], renames: ReadonlyMap<string, string>, opts: ConvertOptions, report: (f: Omit<Finding, 'at'>, index: number, path: KeyPath) => void, result: ConvertResult): Obj {
  const routes: Obj = {}
  const targets = services.map((s) => ({ identifier: s.identifier, name: s.renderedName, ports: s.ports }))
  for (const { index, manifest } of list) {
    const name = str(obj(manifest.metadata).name) ?? ''
    const backends = ingressBackends(manifest)
    if (!backends.some((b) => services.some((s) => s.originalName === b.name))) continue
    const conv = opts.convertIngress?.(manifest, {
      release: opts.release,
      index,
      services: targets,
      service: (n) => targets[services.findIndex((x) => x.originalName === n)],
    })
    const errors = conv?.findings.filter((f) => f.severity === 'error') ?? []
    const ids = Object.keys(conv?.routes ?? {})
    if (conv && errors.length === 0 && ids.length > 0) {
      for (const f of conv.findings) report({ severity: f.severity, rule: f.rule, message: f.message, hint: f.hint, loss: f.loss }, index, f.path ?? [])
      for (const id of ids) {
        if (id in routes) report({ severity: 'error', rule: 'route-clash', message: `Ingress ${name} yields route ${id}, which another Ingress already yields`, hint: 'rename one of the Ingresses' }, index, ['metadata', 'name'])
        routes[id] = conv.routes[id]
      }
      result.identities.routes[index] = conv.expected
      report({ severity: 'info', rule: 'ingress-converted', message: `Ingress ${name} becomes ${ids.map((id) => `route.${id}`).join(', ')} of the release` }, index, ['metadata', 'name'])
      result.consumed.push(index)
      continue
    }
    const edits: Edit[] = []
    for (const b of backends) {
      const to = renames.get(b.name)
      if (to) edits.push({ path: b.path, value: to })
    }
    const points = edits.length > 0 ? ` and now points at Service ${[...new Set(edits.map((e) => String(e.value)))].join(', ')}` : ''
    const why = !conv
      ? { message: 'no ingress converter ran', hint: 'convert it to a route (HTTPRoute) when the ingress converter is available' }
      : errors.length > 0
        ? { message: `it cannot become route values (${[...new Set(errors.map((e) => e.rule))].join(', ')})`, hint: 'the ingress-route transform converts it to an HTTPRoute or reports why it cannot' }
        : { message: 'it gives no route', hint: 'the ingress-route transform reports it' }
    report({ severity: 'info', rule: 'ingress-kept', message: `Ingress ${name} stays raw${points}: ${why.message}`, hint: why.hint }, index, ['metadata', 'name'])
    result.kept.push({ index, edits })
  }
  return routes
}

/** A kept manifest must not lose the pods or Services it pointed at. */
function checkKept(m: Manifest, index: number, workloads: readonly Workload[], services: readonly ServiceInfo[], renames: ReadonlyMap<string, string>, report: (f: Omit<Finding, 'at'>, index: number, path: KeyPath) => void): void {
  const name = String(obj(m.metadata).name)
  const sel = m.kind === 'ServiceMonitor' ? ['spec', 'selector', 'matchLabels'] : POD_SELECTORS[str(m.kind) ?? '']
  if (sel) {
    const labels = strMap(get(m, sel))
    const targets = m.kind === 'ServiceMonitor' ? services.map((s) => ({ what: `Service ${s.originalName}`, before: s.labels, after: s.renderedLabels })) : workloads.map((w) => ({ what: `${w.controller}'s pods`, before: w.podLabels, after: w.renderedPodLabels }))
    for (const t of targets) {
      const before = selects(labels, t.before)
      const after = selects(labels, t.after)
      if (before && !after) report({ severity: 'error', rule: 'kept-selector', message: `${m.kind} ${name} selects ${t.what} by labels app-template does not give them`, hint: 'select by app.kubernetes.io/name and app.kubernetes.io/instance, or carry the labels' }, index, sel)
      if (!before && after) report({ severity: 'warning', rule: 'kept-selector', message: `${m.kind} ${name} did not select ${t.what}, but does with the labels app-template gives them`, hint: 'check that this is wanted' }, index, sel)
    }
  }
  if (m.kind === 'Ingress') return
  for (const path of findHosts(m, renames)) {
    report({ severity: 'warning', rule: 'service-reference', message: `${m.kind} ${name} mentions a renamed Service (${[...renames].map(([a, b]) => `${a} → ${b}`).join(', ')}); not rewritten`, hint: 'update the reference by hand' }, index, path)
  }
}
