/** Workloads → `controllers.<id>`: containers, init containers, their order, pod options and metadata. */
import { convertContainer } from './containers.ts'
import { convertController, convertPodOptions, templatePath } from './controller.ts'
import { checkMetadata, consumesConfig, keepAnnotations, keepPodLabels } from './metadata.ts'
import { chartMajor, resourceName, selectorLabels } from './naming.ts'
import { keepLabels, type WorkloadInfo } from './services.ts'
import { convertClaimTemplates } from './statefulset.ts'
import { applyImages } from './images.ts'
import type { ConvertOptions, Finding, KeyPath, KustomizeImage, Manifest, Obj } from './types.ts'
import { DEFAULT_CHART_VERSION, WORKLOAD_KINDS } from './types.ts'
import { arr, kahn, obj, str, strMap } from './util.ts'

type Report = (f: Omit<Finding, 'at'>, index: number, path: KeyPath) => void

/** A workload after the first pass: what Services, persistence and the values need. */
export interface Workload extends WorkloadInfo {
  type: string
  manifest: Manifest
  podPath: KeyPath
  /** Container (and init container) name → identifier. */
  ids: Record<string, string>
  claimTemplates: Set<string>
  /** Pod option values (with pod labels and annotations). */
  podOptions: Obj
  /** Controller values without containers. */
  values: Obj
}

/** First pass over the workloads: identifiers, names, labels, pod options, controller fields. */
export function readWorkloads(list: { index: number; manifest: Manifest }[], opts: ConvertOptions, report: Report): Workload[] {
  const release = opts.release
  const major = chartMajor(opts.chartVersion ?? DEFAULT_CHART_VERSION)
  const seen = new Set<string>()
  return list.map(({ index, manifest }) => {
    const r = (f: Omit<Finding, 'at'>, path: KeyPath) => report(f, index, path)
    const type = WORKLOAD_KINDS[str(manifest.kind) ?? '']
    const name = str(obj(manifest.metadata).name) ?? ''
    // With several controllers the chart prefixes the release: drop it from the identifier, so names stay.
    const id = list.length > 1 && name.startsWith(`${release}-`) && name.length > release.length + 1 ? name.slice(release.length + 1) : name
    if (seen.has(id)) r({ severity: 'error', rule: 'duplicate-controller', message: `two workloads are named ${name}; controller identifiers must differ` }, ['metadata', 'name'])
    seen.add(id)
    const tpath = templatePath(type)
    const template = obj(get(manifest, tpath))
    const podPath = [...tpath, 'spec']
    const pod = obj(template.spec)
    if (arr(pod.containers).length === 0) {
      const at = [podPath, tpath, ['spec']].find((p) => get(manifest, p) !== undefined) ?? []
      r({ severity: 'error', rule: 'no-containers', message: `${manifest.kind} ${name} has no containers (${[...podPath, 'containers'].join('.')}): Kubernetes rejects it` }, at)
    }
    checkMetadata(manifest.metadata, `${manifest.kind} ${name}`, ['name', 'labels', 'annotations'], ['metadata'], r)
    checkMetadata(template.metadata, `${manifest.kind} ${name} pod`, ['labels', 'annotations'], [...tpath, 'metadata'], r)
    for (const k of Object.keys(template)) if (k !== 'metadata' && k !== 'spec') r({ severity: 'error', rule: 'unsupported-field', message: `pod template field \`${k}\` has no app-template key` }, [...tpath, k])
    const renderedName = resourceName(release, id, list.length, major)
    if (renderedName !== name) r({ severity: 'info', rule: 'workload-renamed', message: `${manifest.kind} ${name} becomes ${renderedName} (app-template names controllers after the release)`, loss: true }, ['metadata', 'name'])
    const chartSelector = selectorLabels(release, id, major)
    const oldSelector = strMap(obj(obj(manifest.spec).selector).matchLabels)
    const podLabels = strMap(obj(template.metadata).labels)
    const labels = keepPodLabels(podLabels, oldSelector, chartSelector, major, [...tpath, 'metadata', 'labels'], r)
    const annotations = keepAnnotations(obj(template.metadata).annotations, 'pod', [...tpath, 'metadata', 'annotations'], r)
    const podOptions: Obj = {}
    if (Object.keys(annotations).length > 0) podOptions.annotations = annotations
    if (Object.keys(labels).length > 0) podOptions.labels = labels
    const explicit: string[] = []
    Object.assign(podOptions, convertPodOptions(pod, type, r, podPath, explicit))
    const values: Obj = {}
    const ctrl = convertController(manifest, type, r, explicit)
    if (explicit.length > 0) r({ severity: 'info', rule: 'defaults-written', message: `${manifest.kind} ${name}: ${explicit.join(', ')} written out: Kubernetes' defaults, which app-template's differ from`, hint: 'drop them to take the chart defaults, once you know the app does not need them' }, ['spec'])
    if (ctrl.type === 'deployment') delete ctrl.type
    const wAnn = keepAnnotations(obj(manifest.metadata).annotations, `${manifest.kind} ${name}`, ['metadata', 'annotations'], r)
    if (opts.reloader !== false && consumesConfig(pod)) Object.assign(wAnn, { 'reloader.stakater.com/auto': 'true' })
    const wLabels = strMap(obj(manifest.metadata).labels)
    const keptLabels = keepLabels(wLabels, { ...chartSelector, 'app.kubernetes.io/managed-by': 'Helm' }, major, (k) =>
      r({ severity: 'info', rule: 'label-dropped', message: `${manifest.kind} ${name} label ${k}: ${wLabels[k]} is dropped: app-template sets that key itself`, loss: true }, ['metadata', 'labels', k]),
    )
    if (ctrl.type) values.type = ctrl.type
    if (Object.keys(wAnn).length > 0) values.annotations = sortReloaderFirst(wAnn)
    if (Object.keys(keptLabels).length > 0) values.labels = keptLabels
    Object.assign(values, ctrl)
    const claimTemplates = new Set<string>()
    if (type === 'statefulset') {
      const vcts = convertClaimTemplates(manifest, renderedName, pod, r)
      if (vcts) {
        values.statefulset = { ...obj(values.statefulset), volumeClaimTemplates: vcts }
        for (const t of vcts) claimTemplates.add(String(t.name))
      }
    }
    const ids = containerIds(pod, name, r, podPath)
    return { index, controller: id, type, manifest, podPath, pod, ids, claimTemplates, podOptions, values, podLabels, renderedName, renderedPodLabels: { ...labels, ...chartSelector } }
  })
}

/** Second pass: the containers' values (env already rewritten by the caller), ordered as the pod ordered them. */
export function convertContainers(w: Workload, opts: ConvertOptions, report: Report, imagesUsed: Set<number>): void {
  const init: Obj = {}
  const main: Obj = {}
  for (const [key, target] of [['initContainers', init], ['containers', main]] as const) {
    arr(w.pod[key]).forEach((raw, i) => {
      const c = obj(raw)
      const path = [...w.podPath, key, i]
      const res = convertContainer(c, { index: w.index, path, images: opts.images ?? [], report: (f, p = []) => report(f, w.index, [...path, ...p]) })
      if (res.imageUsed !== undefined) imagesUsed.add(res.imageUsed)
      target[w.ids[str(c.name) ?? '']] = res.values
    })
  }
  followUps(w, report, opts.images ?? [])
  const mainId = 'app'
  orderBy(main, arr(w.pod.containers).map((c) => w.ids[str(obj(c).name) ?? '']), mainId)
  orderBy(init, arr(w.pod.initContainers).map((c) => w.ids[str(obj(c).name) ?? '']))
  if (Object.keys(init).length > 0) w.values.initContainers = init
  w.values.containers = main
}

/**
 * Adds `dependsOn` so the chart's order (alphabetical, then dependencies) is the pod's order: containers after the
 * main one start after it, as they did.
 */
function orderBy(values: Obj, order: string[], mainId?: string): void {
  const deps = new Map<string, Set<string>>(order.map((id) => [id, new Set<string>()]))
  const m = mainId ? order.indexOf(mainId) : -1
  if (m >= 0) order.forEach((id, i) => (i < m ? deps.get(mainId!)!.add(id) : i > m ? deps.get(id)!.add(mainId!) : undefined))
  for (let guard = 0; guard <= order.length * order.length; guard++) {
    const now = kahn(order, (id) => [...deps.get(id)!])!
    const p = now.findIndex((id, i) => id !== order[i])
    if (p < 0) break
    deps.get(now[p])!.add(order[p])
  }
  for (const id of order) {
    const d = [...deps.get(id)!].sort((a, b) => order.indexOf(a) - order.indexOf(b))
    if (d.length === 0) continue
    const v = obj(values[id])
    values[id] = { dependsOn: d.length === 1 ? d[0] : d, ...v }
  }
}

/** Chongus rules the conversion does not enforce, reported as follow-ups: memory limits, images pinned by digest. */
function followUps(w: Workload, report: Report, images: readonly KustomizeImage[]): void {
  const all = [...arr(w.pod.initContainers), ...arr(w.pod.containers)].map(obj)
  const noLimit = all.filter((c) => obj(obj(c.resources).limits).memory === undefined).map((c) => String(c.name))
  const unpinned = all.filter((c) => !applyImages(String(c.image ?? ''), images).image.includes('@sha256:')).map((c) => String(c.name))
  const name = String(obj(w.manifest.metadata).name)
  if (noLimit.length > 0) report({ severity: 'info', rule: 'memory-limit', message: `${String(w.manifest.kind)} ${name}: container(s) ${noLimit.join(', ')} have no memory limit, which Chongus asks of every container`, hint: 'add resources.limits.memory' }, w.index, [...w.podPath, 'containers'])
  if (unpinned.length > 0) report({ severity: 'info', rule: 'image-not-pinned', message: `${String(w.manifest.kind)} ${name}: image(s) of ${unpinned.join(', ')} are not pinned by digest, which Chongus asks of every image`, hint: 'write the tag as <tag>@sha256:<digest>' }, w.index, [...w.podPath, 'containers'])
}

/** The main container (named like the workload, else the first) is `app`; the others keep their names. */
function containerIds(pod: Obj, workload: string, report: (f: Omit<Finding, 'at'>, path: KeyPath) => void, podPath: KeyPath): Record<string, string> {
  const names = arr(pod.containers).map((c) => str(obj(c).name) ?? '')
  const main = names.includes(workload) ? workload : names[0]
  const ids: Record<string, string> = {}
  names.forEach((n, i) => {
    ids[n] = n === main ? 'app' : n
    if (n !== main && n === 'app') report({ severity: 'error', rule: 'container-id', message: `sidecar container app clashes with the main container's identifier app`, hint: 'rename the sidecar' }, [...podPath, 'containers', i, 'name'])
  })
  if (main !== undefined && main !== 'app') report({ severity: 'info', rule: 'container-renamed', message: `container ${main} is named app (app-template names containers by identifier; the main one is app)`, loss: true }, [...podPath, 'containers', names.indexOf(main), 'name'])
  for (const c of arr(pod.initContainers)) ids[str(obj(c).name) ?? ''] = str(obj(c).name) ?? ''
  return ids
}

function sortReloaderFirst(a: Record<string, string>): Record<string, string> {
  const k = 'reloader.stakater.com/auto'
  return k in a ? { [k]: a[k], ...a } : a
}

/** The value at a key path of plain data. */
export function get(o: unknown, path: KeyPath): unknown {
  let cur = o
  for (const seg of path) cur = Array.isArray(cur) ? cur[seg as number] : obj(cur)[seg as string]
  return cur
}
