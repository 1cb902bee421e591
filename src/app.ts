/** Finding a legacy app in the repository: its Flux Kustomizations, what they render, and where it goes. */
import type { Config } from './config.ts'
import type { Finding } from './diagnostics.ts'
import type { YamlDoc, YamlFile } from './document.ts'
import { MigrationError } from './errors.ts'
import { resolveKustomize, type KustomizeTree } from './kustomize.ts'
import { isWithin, normalize } from './paths.ts'
import type { Workspace } from './workspace.ts'

/** One Flux Kustomization of the app's `ks.yaml`, as it was in the legacy tree. */
export interface LegacyKustomization {
  name: string
  /** Index of its document in ks.yaml. */
  index: number
  /** `spec.path` as written. */
  specPath: string
  /** Repository-relative folder it builds, undefined when unresolvable. */
  dir: string | undefined
  tree: KustomizeTree | undefined
  /** `postBuild.substitute` as written (values after alias resolution). */
  substitute: Record<string, string>
  dependsOn: { name: string; namespace?: string }[]
  labels: Record<string, string>
}

/** The app being migrated. */
export interface App {
  /** App folder name. */
  readonly name: string
  /** Legacy cluster folder name (`bitty`). */
  readonly cluster: string
  readonly legacyNamespace: string
  /** Chongus namespace. */
  readonly namespace: string
  readonly legacyDir: string
  readonly targetDir: string
  /** Where the app's files are now: the legacy folder until the layout transform moves them. */
  root: string
  readonly kustomizations: readonly LegacyKustomization[]
  /** Legacy `<ns>/kustomization.yaml`, if any. */
  readonly legacyNamespaceFile: string | undefined
  /** Whether the legacy namespace kustomization lists the app (uncommented). */
  readonly enabled: boolean
  /** The legacy namespace folder's Namespace was privileged (Pod Security `enforce: privileged`). */
  readonly legacyPrivileged: boolean
  /** Problems found while reading the app. */
  readonly problems: Finding[]
  /** Repository path of a file after the move. */
  toTarget(legacyPath: string): string
}

const strRecord = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {}
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x
  return out
}

/** The parse problems of a YAML file as findings `yaml/<code>` at their place. */
const yamlFindings = (file: string, y: YamlFile | undefined): Finding[] => (y?.problems ?? []).map((pr) => ({ rule: `yaml/${pr.code}`, severity: pr.severity, message: pr.message, file, span: pr.span }))

/** A YAML list, or [] for anything else (an empty `resources:` once its last entry is commented out). */
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

export function isFluxKustomization(doc: YamlDoc): boolean {
  return (doc.getString(['apiVersion']) ?? '').startsWith('kustomize.toolkit.fluxcd.io/') && doc.getString(['kind']) === 'Kustomization'
}

/** Top-level fields that are maps: `metadata` and `spec` in every kind (API conventions), `data` and `stringData` in a ConfigMap or Secret. */
const mapFields = (kind: string | undefined) => (kind === 'ConfigMap' || kind === 'Secret' ? ['metadata', 'spec', 'data', 'stringData'] : ['metadata', 'spec'])

/** What a field of a Flux Kustomization must be; `required` ones must be there. */
const KUSTOMIZATION_SHAPE: { path: (string | number)[]; is: 'map' | 'seq' | 'string'; required?: boolean; items?: 'map' | 'string' }[] = [
  { path: ['metadata'], is: 'map', required: true },
  { path: ['metadata', 'name'], is: 'string', required: true },
  { path: ['metadata', 'labels'], is: 'map' },
  { path: ['spec'], is: 'map', required: true },
  { path: ['spec', 'path'], is: 'string' },
  { path: ['spec', 'sourceRef'], is: 'map' },
  { path: ['spec', 'dependsOn'], is: 'seq', items: 'map' },
  { path: ['spec', 'components'], is: 'seq', items: 'string' },
  { path: ['spec', 'postBuild'], is: 'map' },
  { path: ['spec', 'postBuild', 'substitute'], is: 'map' },
  { path: ['spec', 'postBuild', 'substituteFrom'], is: 'seq', items: 'map' },
]
const SPELLED = { map: 'a map', seq: 'a list', string: 'a string', scalar: 'a string', null: 'empty' } as const

/**
 * The first field of a Flux Kustomization that is not what Flux reads (a `spec` that is a string, a `dependsOn` that
 * is a map, no name), with its path; undefined when every field the migration reads and rewrites has its shape. An
 * optional field left empty counts as absent.
 */
export function malformedKustomization(doc: YamlDoc): { path: (string | number)[]; message: string } | undefined {
  const name = doc.typeAt(['metadata', 'name']) === 'scalar' ? doc.getString(['metadata', 'name']) : undefined
  const of = `of Kustomization ${name ?? '(unnamed)'}`
  const isA = (t: ReturnType<YamlDoc['typeAt']>, want: 'map' | 'seq' | 'string') => (want === 'string' ? t === 'scalar' : t === want)
  for (const f of KUSTOMIZATION_SHAPE) {
    const t = doc.typeAt(f.path)
    const field = f.path.join('.')
    if (t === undefined || t === 'null') {
      if (f.required) return { path: t === undefined ? f.path.slice(0, -1) : f.path, message: `${field} ${of} is ${t === undefined ? 'missing' : 'empty'}` }
      continue
    }
    if (!isA(t, f.is)) return { path: f.path, message: `${field} ${of} is ${SPELLED[t]}, not ${SPELLED[f.is]}` }
    if (f.items) {
      const n = doc.length(f.path)
      for (let i = 0; i < n; i++) {
        const it = doc.typeAt([...f.path, i])
        if (it === undefined || !isA(it, f.items)) return { path: [...f.path, i], message: `${field}[${i}] ${of} is ${SPELLED[it ?? 'null']}, not ${SPELLED[f.items]}` }
      }
    }
  }
  return undefined
}

/** The app folder of an app path as given (a folder or its ks.yaml, `\\` or `/`), normalised; undefined when it climbs out. */
export function appDirOf(appPath: string): string | undefined {
  const p = normalize(appPath.replace(/\\/g, '/'))
  return p?.endsWith('/ks.yaml') ? p.slice(0, -'/ks.yaml'.length) : p === 'ks.yaml' ? '' : p
}

/** Reads the app at `appPath` (`<legacy.appsDir>/<cluster>/<namespace>/<app>`, or its ks.yaml). */
export function discoverApp(ws: Workspace, appPath: string, config: Config, toNamespace?: string): App {
  const p = appDirOf(appPath)
  if (p === undefined) throw new MigrationError('NOT_AN_APP', `${appPath} leaves the repository root`)
  const legacyRoot = config.legacy.appsDir
  const rest = isWithin(p, legacyRoot) ? p.slice(legacyRoot.length + 1).split('/') : []
  if (rest.length !== 3) {
    throw new MigrationError('NOT_AN_APP', `${appPath} is not a legacy app folder: expected ${legacyRoot}/<cluster>/<namespace>/<app>`)
  }
  const [cluster, legacyNamespace, name] = rest
  const ksPath = `${p}/ks.yaml`
  const ksFile = ws.file(ksPath)
  if (!ksFile) throw new MigrationError('NOT_AN_APP', `${p} has no ks.yaml (the app's Flux Kustomizations)`)
  const problems: Finding[] = []
  const y = ksFile.yaml!
  problems.push(...yamlFindings(ksPath, y))
  const kustomizations: LegacyKustomization[] = []
  if (!y.hasErrors) {
    y.docs.forEach((doc, index) => {
      if (!isFluxKustomization(doc)) return
      const malformed = malformedKustomization(doc)
      if (malformed) {
        problems.push({ rule: 'malformed-kustomization', severity: 'error', message: `${malformed.message}: Flux rejects it, and the migration cannot rewrite it`, hint: 'fix ks.yaml, then migrate again', file: ksPath, span: doc.span(malformed.path) })
        return
      }
      const specPath = doc.getString(['spec', 'path']) ?? ''
      const resolved = normalize(specPath.replace(/\$\{CLUSTER_NAME\}/g, cluster).replace(/^\.\//, ''))
      const dir = resolved !== undefined && ws.isDir(resolved) ? resolved : undefined
      if (dir === undefined) {
        problems.push({
          rule: 'unresolved-path',
          severity: 'error',
          message: `spec.path ${specPath} of Kustomization ${doc.getString(['metadata', 'name'])} does not name a folder of the repository`,
          file: ksPath,
          span: doc.span(['spec', 'path']),
        })
      }
      const deps: { name: string; namespace?: string }[] = []
      for (let i = 0; i < doc.length(['spec', 'dependsOn']); i++) {
        const n = doc.getString(['spec', 'dependsOn', i, 'name'])
        if (n) deps.push({ name: n, namespace: doc.getString(['spec', 'dependsOn', i, 'namespace']) })
      }
      kustomizations.push({
        name: doc.getString(['metadata', 'name']) ?? '',
        index,
        specPath,
        dir,
        tree: dir ? resolveKustomize(ws, dir, p) : undefined,
        substitute: strRecord(doc.get(['spec', 'postBuild', 'substitute'])),
        dependsOn: deps,
        labels: strRecord(doc.get(['metadata', 'labels'])),
      })
    })
    const seen = new Set<string>()
    for (const k of kustomizations) {
      for (const f of [...(k.tree?.kustomizations ?? []), ...(k.tree?.resources ?? [])]) {
        if (seen.has(f)) continue
        seen.add(f)
        const y = ws.file(f)?.yaml
        problems.push(...yamlFindings(f, y))
        // A kustomization file may omit apiVersion and kind; a manifest may not.
        if (!y || y.hasErrors || (k.tree?.kustomizations ?? []).includes(f)) continue
        for (const d of y.docs) {
          if (d.isEmpty) continue
          if (!d.getString(['apiVersion']) || !d.getString(['kind'])) {
            problems.push({ rule: 'kustomize/not-a-resource', severity: 'error', message: `a document of ${f} has no apiVersion and kind: kustomize cannot build it`, file: f, span: d.span([]) })
            continue
          }
          const field = mapFields(d.getString(['kind'])).find((k) => !['map', 'null', undefined].includes(d.typeAt([k])))
          if (field) problems.push({ rule: 'kustomize/malformed-resource', severity: 'error', message: `${field} of ${d.getString(['kind'])} ${d.getString(['metadata', 'name']) ?? '(unnamed)'} is ${d.typeAt([field]) === 'seq' ? 'a list' : 'a string'}, not a map: Kubernetes rejects it, and the migration cannot rewrite it`, hint: `fix ${f}, then migrate again`, file: f, span: d.span([field]) })
        }
      }
    }
    if (kustomizations.length === 0) problems.push({ rule: 'no-kustomization', severity: 'error', message: `${ksPath} holds no Flux Kustomization`, file: ksPath })
  }
  const nsDir = `${legacyRoot}/${cluster}/${legacyNamespace}`
  const nsFile = ws.exists(`${nsDir}/kustomization.yaml`) ? `${nsDir}/kustomization.yaml` : undefined
  let enabled = false
  if (nsFile) {
    const doc = ws.file(nsFile)?.yaml?.docs[0]
    enabled = listedEntries(doc).has(`${name}/ks.yaml`)
  }
  const namespace = targetNamespace(legacyNamespace, config, toNamespace)
  const targetDir = `${config.target.appsDir}/${namespace}/${name}`
  // The namespace kustomizations are edited too (the app's entry): one with YAML errors is never touched.
  for (const f of [nsFile, `${config.target.appsDir}/${namespace}/kustomization.yaml`]) if (f) problems.push(...yamlFindings(f, ws.file(f)?.yaml))
  return {
    name,
    cluster,
    legacyNamespace,
    namespace,
    legacyDir: p,
    targetDir,
    root: p,
    kustomizations,
    legacyNamespaceFile: nsFile,
    enabled,
    legacyPrivileged: namespacePrivileged(ws, nsDir),
    problems,
    toTarget: (lp: string) => (isWithin(lp, p) ? `${targetDir}${lp.slice(p.length)}` : lp),
  }
}

function targetNamespace(legacyNamespace: string, config: Config, toNamespace?: string): string {
  return toNamespace ?? config.namespaces[legacyNamespace] ?? legacyNamespace
}

/** The Chongus folder a legacy app folder migrates to, without reading it; undefined for a path that is no app folder. */
export function targetDirOf(appPath: string, config: Config, toNamespace?: string): string | undefined {
  const p = appDirOf(appPath)
  if (p === undefined || !isWithin(p, config.legacy.appsDir)) return undefined
  const rest = p.slice(config.legacy.appsDir.length + 1).split('/')
  if (rest.length !== 3) return undefined
  return `${config.target.appsDir}/${targetNamespace(rest[1], config, toNamespace)}/${rest[2]}`
}

function namespacePrivileged(ws: Workspace, nsDir: string): boolean {
  const f = ws.file(`${nsDir}/namespace.yaml`)?.yaml
  if (!f || f.hasErrors) return false
  return f.docs.some((d) => d.getString(['kind']) === 'Namespace' && d.getString(['metadata', 'labels', 'pod-security.kubernetes.io/enforce']) === 'privileged')
}

/** Legacy apps listed by a namespace kustomization (`enabled`) or present as folders with a ks.yaml. */
export function listLegacyApps(ws: Workspace, config: Config): { path: string; enabled: boolean }[] {
  const out: { path: string; enabled: boolean }[] = []
  const root = config.legacy.appsDir
  for (const cluster of ws.list(root)) {
    const cdir = `${root}/${cluster}`
    for (const ns of ws.list(cdir)) {
      const nsDir = `${cdir}/${ns}`
      if (!ws.isDir(nsDir)) continue
      const y = ws.file(`${nsDir}/kustomization.yaml`)?.yaml
      const listed = listedEntries(y?.docs[0])
      // A namespace kustomization that does not parse cannot say which apps it lists: they count as enabled, so
      // `--all` takes them and each fails with the file's error at its place instead of being skipped unseen.
      const unknown = y?.hasErrors === true
      for (const app of ws.list(nsDir)) {
        const dir = `${nsDir}/${app}`
        if (ws.exists(`${dir}/ks.yaml`)) out.push({ path: dir, enabled: unknown || listed.has(`${app}/ks.yaml`) })
      }
    }
  }
  return out
}


/** Normalised `resources` entries of a namespace kustomization; none when every entry is commented out (an empty value). */
function listedEntries(doc: YamlDoc | undefined): Set<string | undefined> {
  const v = doc?.get(['resources'])
  return new Set((Array.isArray(v) ? v : []).filter((e): e is string => typeof e === 'string').map((e) => normalize(e)))
}
