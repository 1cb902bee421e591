/** Reads a raw app: the manifests its kustomization renders, typed as Kubernetes reads them, and its kustomize inputs. */
import { appTemplate, findKustomization, ingressToAppTemplateRoutes, makeResolver, resolveKustomize, type gatewayTargets, type KeyPath, type Resource, type WFile, type Workspace } from '../../src/transform-api.ts'

type Manifest = appTemplate.Manifest

/** Kustomization fields the conversion understands; any other one changes the manifests in ways it does not follow. */
const UNDERSTOOD = ['apiVersion', 'kind', 'resources', 'bases', 'images', 'configMapGenerator', 'secretGenerator', 'generatorOptions', 'namespace', 'commonLabels']

/** A raw app as its kustomization renders it. */
export interface RawApp {
  dir: string
  /** The app's kustomization file. */
  kustomization: WFile | undefined
  /** Rendered documents in kustomize order, with their typed values. */
  resources: Resource[]
  manifests: Manifest[]
  images: appTemplate.KustomizeImage[]
  generated: appTemplate.GeneratedObject[]
  commonLabels: Record<string, string>
  /** Why the app cannot be read faithfully: a file and key path, and a message. */
  problems: { file: WFile; path: KeyPath; message: string; resource?: Resource }[]
  /** Scalars written differently in the output (`0644` → 420). */
  respelled: { resource: Resource; path: KeyPath; source: string; value: unknown }[]
}

const strs = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {}
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x
  return out
}

/** Reads the raw app whose kustomization folder is `dir`. */
export function readRawApp(ws: Workspace, dir: string): RawApp {
  const tree = resolveKustomize(ws, dir)
  const kPath = findKustomization(ws, dir)
  const kustomization = kPath ? ws.file(kPath) : undefined
  const out: RawApp = { dir, kustomization, resources: [], manifests: [], images: [], generated: [], commonLabels: {}, problems: [], respelled: [] }
  for (const k of tree.kustomizations) {
    const file = ws.file(k)
    const doc = file?.yaml?.docs[0]
    if (!file || !doc) continue
    for (const key of doc.keys([])) {
      if (!UNDERSTOOD.includes(key)) out.problems.push({ file, path: [key], message: `kustomization field ${key} changes the manifests in a way the conversion does not follow` })
    }
    const root = k === kPath
    if (!root) continue
    const hashAll = doc.getString(['generatorOptions', 'disableNameSuffixHash']) !== 'true'
    for (let i = 0; i < doc.length(['images']); i++) {
      const e = strs(doc.get(['images', i]))
      if (e.name) out.images.push({ name: e.name, newName: e.newName, newTag: e.newTag, digest: e.digest })
    }
    for (const [gen, kind] of [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const) {
      for (let i = 0; i < doc.length([gen]); i++) {
        const name = doc.getString([gen, i, 'name'])
        const own = doc.getString([gen, i, 'options', 'disableNameSuffixHash'])
        if (name) out.generated.push({ kind, name, hashed: own === undefined ? hashAll : own !== 'true' })
      }
    }
    out.commonLabels = strs(doc.get(['commonLabels']))
  }
  for (const r of ws.resources(tree.resources.map((p) => ws.file(p)).filter((f): f is WFile => f !== undefined))) {
    const t = r.doc.getTyped()
    out.resources.push(r)
    out.manifests.push(t.value as Manifest)
    for (const a of t.ambiguous) out.problems.push({ file: r.file, path: a.path, resource: r, message: `plain scalar ${a.source} reads differently in YAML 1.1 and 1.2; quote it or write its value` })
    for (const x of t.respelled) out.respelled.push({ resource: r, ...x })
  }
  return out
}

/** A raw app converted and checked against the model. */
export interface Conversion {
  raw: RawApp
  result: appTemplate.ConvertResult
  /** Model differences no loss finding explains (each makes the conversion unsafe). */
  unexplained: appTemplate.Difference[]
  /** Values keys the model does not render (each makes the check incomplete). */
  unmodelled: string[]
  /** Whether the app has workloads to convert at all. */
  isRaw: boolean
}

const WORKLOADS = new Set(Object.keys(appTemplate.WORKLOAD_KINDS))

/** What turning the app's Ingresses into `route` values needs: the gateways, and the variables a file was rendered with. */
export interface RouteInputs {
  gateways: ReturnType<typeof gatewayTargets>
  variables(file: WFile): Record<string, string>
}

/** Conversion options: the release, its chart version, and (to convert Ingresses to `route` values) the route inputs. */
export interface RawOptions {
  release: string
  chartVersion: string
  routes?: RouteInputs
}

/** The Ingress → `route` converter for a raw app, resolving named ports from its Services and folding canaries. */
function ingressConverter(raw: RawApp, opts: RawOptions & { routes: RouteInputs }): NonNullable<appTemplate.ConvertOptions['convertIngress']> {
  const services = raw.manifests.filter((m) => m.kind === 'Service')
  const ingresses = raw.manifests.filter((m) => m.kind === 'Ingress')
  return (ingress, c) => {
    const resolve = makeResolver({ variables: opts.routes.variables(raw.resources[c.index].file) })
    const res = ingressToAppTemplateRoutes(ingress, { gateways: opts.routes.gateways, resolve, services, ingresses, chartVersion: opts.chartVersion, release: opts.release, service: c.service, identifiers: c.services.map((s) => s.identifier) })
    return { routes: res.routes, findings: res.findings, expected: res.expected as unknown as Record<string, appTemplate.Obj> }
  }
}

/** Reads, converts, renders with the model and compares: the conversion is safe only when `ok()` holds. */
export function convertRawApp(ws: Workspace, dir: string, opts: RawOptions): Conversion & { ok(): boolean } {
  const raw = readRawApp(ws, dir)
  const isRaw = raw.manifests.some((m) => WORKLOADS.has(String(m.kind)))
  const convertIngress = opts.routes ? ingressConverter(raw, { ...opts, routes: opts.routes }) : undefined
  const result = appTemplate.toAppTemplate(raw.manifests, { release: opts.release, chartVersion: opts.chartVersion, images: raw.images, generated: raw.generated, commonLabels: raw.commonLabels, convertIngress })
  let unexplained: appTemplate.Difference[] = []
  let unmodelled: string[] = []
  if (result.ok && result.values) {
    const rendered = appTemplate.renderAppTemplate(result.values, opts.release, opts.chartVersion)
    unmodelled = rendered.unmodelled
    unexplained = appTemplate.unexplained(appTemplate.compareWorkloads(raw.manifests, rendered, result.identities, raw.images), result.findings)
  }
  return { raw, result, unexplained, unmodelled, isRaw, ok: () => isRaw && result.ok && raw.problems.length === 0 && unexplained.length === 0 && unmodelled.length === 0 }
}
