/**
 * What `check` looks at: the apps of a repository, each with its Flux Kustomizations and what each renders
 * (`spec.path` plus the ks.yaml components, resolved like kustomize). The same model describes a legacy app, so
 * a migration's findings can be compared with the legacy app's.
 */
import type { LegacyKustomization } from '../app.ts'
import { isFluxKustomization } from '../app.ts'
import type { Config } from '../config.ts'
import type { Finding } from '../diagnostics.ts'
import { findKustomization, resolveKustomize, type KustomizeTree } from '../kustomize.ts'
import { basename, isWithin, join, normalize } from '../paths.ts'
import type { Resource, WFile, Workspace } from '../workspace.ts'

/** A `spec.components` entry of a Flux Kustomization. */
export interface KsComponent {
  entry: string
  index: number
  /** Repository-relative folder, undefined when it leaves the repository. */
  dir: string | undefined
  tree: KustomizeTree | undefined
}

/** One Flux Kustomization and what it renders. */
export interface KsModel {
  resource: Resource
  name: string
  /** `spec.path` as written. */
  specPath: string
  /** Repository-relative folder it builds, undefined when unresolvable. */
  dir: string | undefined
  tree: KustomizeTree | undefined
  components: KsComponent[]
  /** Documents it renders (its folder and components), each once. */
  resources: Resource[]
  /** Files read by generators (their text is substituted too). */
  inputs: string[]
  postBuild: boolean
  substitute: Record<string, string>
  /** Variables substitution defines: `substitute`'s, plus the cluster's for a legacy app. */
  defined: Set<string>
}

/** An app: a folder with a `ks.yaml`. */
export interface AppModel {
  name: string
  namespace: string
  dir: string
  ksFile: WFile | undefined
  kustomizations: KsModel[]
  /** Every file below the app folder. */
  files: WFile[]
  /** Union of what the Kustomizations render. */
  resources: Resource[]
  /** Kustomize problems (missing entries) met while resolving. */
  problems: Finding[]
  /** A legacy (Bitty) app, modelled to compare a migration's findings with. */
  legacy: boolean
}

const strRecord = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {}
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x
  return out
}

function ksModel(ws: Workspace, resource: Resource, dir: string | undefined, scope: string, specPath: string): KsModel {
  const doc = resource.doc
  const tree = dir ? resolveKustomize(ws, dir, scope) : undefined
  const components: KsComponent[] = []
  const n = doc.length(['spec', 'components'])
  for (let i = 0; i < n; i++) {
    const entry = doc.getString(['spec', 'components', i]) ?? ''
    const cdir = dir !== undefined ? join(dir, entry) : undefined
    const ctree = cdir !== undefined && ws.isDir(cdir) ? resolveKustomize(ws, cdir, cdir) : undefined
    components.push({ entry, index: i, dir: cdir, tree: ctree })
  }
  const files = new Set<string>([...(tree?.resources ?? []), ...components.flatMap((c) => c.tree?.resources ?? [])])
  const inputs = [...new Set([...(tree?.inputs ?? []), ...components.flatMap((c) => c.tree?.inputs ?? [])])]
  const substitute = strRecord(doc.get(['spec', 'postBuild', 'substitute']))
  const wfiles = [...files].map((p) => ws.file(p)).filter((f): f is WFile => f !== undefined)
  return {
    resource,
    name: doc.getString(['metadata', 'name']) ?? '',
    specPath,
    dir,
    tree,
    components,
    resources: ws.resources(wfiles).filter((r) => !isKustomizeFile(r)),
    inputs,
    postBuild: doc.has(['spec', 'postBuild']),
    substitute,
    defined: new Set(Object.keys(substitute)),
  }
}

const isKustomizeFile = (r: Resource) => r.ref.apiVersion.startsWith('kustomize.config.k8s.io/')

/** Repository-relative folder of a Chongus `spec.path` (`./a/b` → `a/b`); undefined when not a literal folder. */
export function specDir(ws: Workspace, specPath: string): string | undefined {
  if (specPath.includes('${')) return undefined
  const p = normalize(specPath.replace(/^\.\//, ''))
  return p !== undefined && p !== '' && ws.isDir(p) ? p : undefined
}

/** Builds the model of the app in `dir` (a folder holding ks.yaml). */
export function chongusApp(ws: Workspace, dir: string, namespace: string): AppModel {
  const ksFile = ws.file(`${dir}/ks.yaml`)
  const kustomizations: KsModel[] = []
  const problems: Finding[] = []
  for (const r of ksFile ? ws.resources([ksFile]) : []) {
    if (!isFluxKustomization(r.doc)) continue
    const specPath = r.doc.getString(['spec', 'path']) ?? ''
    kustomizations.push(ksModel(ws, r, specDir(ws, specPath), dir, specPath))
  }
  for (const k of kustomizations) problems.push(...(k.tree?.problems ?? []), ...k.components.flatMap((c) => c.tree?.problems ?? []))
  return finishApp({ name: basename(dir), namespace, dir, ksFile, kustomizations, files: ws.filesUnder(dir), resources: [], problems, legacy: false })
}

/**
 * The model of a legacy app, from what {@link discoverApp} found (its `spec.path`s already resolved). The legacy
 * cluster substituted its cluster variables into every app (its root Kustomization patches a `substituteFrom` into
 * each child), so `clusterVariables` count as defined there.
 */
export function legacyApp(ws: Workspace, dir: string, namespace: string, legacy: readonly LegacyKustomization[], clusterVariables: readonly string[]): AppModel {
  const ksFile = ws.file(`${dir}/ks.yaml`)
  const docs = ksFile?.yaml?.docs ?? []
  const kustomizations: KsModel[] = []
  for (const lk of legacy) {
    const doc = docs[lk.index]
    if (!doc || !ksFile) continue
    const resource: Resource = { file: ksFile, doc, ref: { apiVersion: doc.getString(['apiVersion']) ?? '', kind: 'Kustomization', name: lk.name, namespace: doc.getString(['metadata', 'namespace']) } }
    const k = ksModel(ws, resource, lk.dir, dir, lk.specPath)
    k.postBuild = true
    for (const v of clusterVariables) k.defined.add(v)
    kustomizations.push(k)
  }
  return finishApp({ name: basename(dir), namespace, dir, ksFile, kustomizations, files: ws.filesUnder(dir), resources: [], problems: [], legacy: true })
}

function finishApp(app: AppModel): AppModel {
  const seen = new Set<object>()
  for (const k of app.kustomizations)
    for (const r of k.resources) {
      if (seen.has(r.doc)) continue
      seen.add(r.doc)
      app.resources.push(r)
    }
  return app
}

/** Where the apps to check are: folders with a ks.yaml below the given paths, and every `<appsDir>/<ns>/<app>`. */
export function findApps(ws: Workspace, config: Config, paths: readonly string[]): { dir: string; namespace: string }[] {
  const root = config.target.appsDir
  const dirs = new Set<string>()
  for (const p of paths) {
    const dir = ws.isDir(p) ? p : p.slice(0, Math.max(0, p.lastIndexOf('/')))
    // A path inside an app (a file or its app/ folder) checks the whole app.
    const owner = appOwning(ws, root, dir)
    if (owner !== undefined) {
      dirs.add(owner)
      continue
    }
    for (const f of ws.filesUnder(dir)) if (basename(f.path) === 'ks.yaml') dirs.add(f.path.slice(0, -'/ks.yaml'.length))
    if (isWithin(dir, root)) {
      const depth = dir === root ? 0 : dir.slice(root.length + 1).split('/').length
      const namespaces = depth === 0 ? ws.list(root).filter((n) => ws.isDir(`${root}/${n}`)) : depth === 1 ? [dir.slice(root.length + 1)] : []
      for (const ns of namespaces) for (const a of ws.list(`${root}/${ns}`)) if (ws.isDir(`${root}/${ns}/${a}`)) dirs.add(`${root}/${ns}/${a}`)
    }
  }
  return [...dirs].sort().map((dir) => ({ dir, namespace: namespaceOf(root, dir) }))
}

function appOwning(ws: Workspace, root: string, dir: string): string | undefined {
  for (let d = dir; d !== '' && isWithin(d, root) && d !== root; d = d.slice(0, Math.max(0, d.lastIndexOf('/')))) {
    if (ws.exists(`${d}/ks.yaml`) && d !== dir) return d
    if (ws.exists(`${d}/ks.yaml`) && !ws.list(d).some((n) => ws.exists(`${d}/${n}/ks.yaml`))) return d
  }
  return undefined
}

function namespaceOf(root: string, dir: string): string {
  if (!isWithin(dir, root) || dir === root) return ''
  return dir.slice(root.length + 1).split('/')[0]
}

/** Kustomization files of the namespace folder, if any. */
export function namespaceKustomization(ws: Workspace, root: string, namespace: string): string | undefined {
  return findKustomization(ws, `${root}/${namespace}`)
}
