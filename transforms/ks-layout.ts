/**
 * Moves the app from `cluster-cd/apps/<cluster>/<ns>/<app>` to `cluster-apps/chongus/<ns>/<app>` and rewrites its
 * Flux Kustomizations to the Chongus `ks.yaml` rules: namespace anchors, literal `spec.path`, the `flux-system`
 * source, namespaced `dependsOn`, intervals, and components in place of the legacy `_templates`.
 *
 * Reports: files not carried (unreferenced), dropped dependencies, templates and variables, shared legacy files
 * still referenced, and a Chongus folder that already differs (an error unless `--force`).
 */
import { AliasValue, AnchoredValue, defineTransform, paths, stringMap, type LegacyKustomization, type Resource, type TransformContext, type WFile, type YamlDoc } from '../src/transform-api.ts'
import { addNamespaceEntry, disableLegacyEntry, needsPrivileged } from './lib/namespaces.ts'

/** Legacy template folder name → Chongus component (null: dropped). */
const TEMPLATES: Record<string, string | null> = { volsync: 'volsync', 'volsync-minio-default': 'volsync', gatus: null }
/** Per-app variables that belonged to dropped templates. */
const DROPPED_VARIABLES = [/^GATUS_/, /^VOLSYNC_CACHE_CAPACITY$/]

export default defineTransform({
  id: 'ks-layout',
  description: 'Moves the app into cluster-apps/chongus/<ns>/<app> and rewrites ks.yaml to the Chongus Kustomization rules.',
  apply(ctx) {
    const { app, ws } = ctx
    const ksPath = `${app.legacyDir}/ks.yaml`
    const carried = new Set<string>([ksPath])
    const templatesByKs = new Map<number, Set<string>>()
    const moves = planMoves(ctx)
    for (const ks of app.kustomizations) {
      const tree = ks.tree
      if (!tree || !ks.dir) continue
      for (const p of tree.problems) ctx.report({ rule: p.rule, severity: p.severity, message: p.message, hint: p.hint, at: p.file ? { file: p.file, span: p.span } : undefined })
      for (const f of [...tree.kustomizations, ...tree.resources, ...tree.inputs]) if (moves.targetOf(f)) carried.add(f)
      const used = new Set<string>()
      for (const ext of tree.external) {
        const t = templateName(ctx, ext)
        if (t !== undefined) used.add(t)
      }
      templatesByKs.set(ks.index, used)
    }
    for (const f of ws.filesUnder(app.legacyDir)) {
      if (carried.has(f.path)) continue
      ctx.report({
        rule: 'not-carried',
        severity: ctx.options.removeSource ? 'warning' : 'info',
        message: `${f.path} is not referenced by any kustomization of the app and is not carried to Chongus`,
        hint: ctx.options.removeSource ? 'it is deleted with the legacy folder; keep a copy if you still need it' : 'it stays in the legacy folder',
        loss: ctx.options.removeSource,
        at: { file: f.path },
      })
    }
    for (const f of [...carried].sort()) ws.copy(f, moves.targetOf(f)!)
    for (const f of [...carried].sort()) {
      const target = ws.file(moves.targetOf(f)!)
      if (target && /(^|\/)kustomization\.ya?ml$/.test(f)) rewriteAppKustomization(ctx, target, f, moves)
    }
    const ks = ws.file(app.toTarget(ksPath))
    const volsync = new Set<number>()
    for (const [i, t] of templatesByKs) if ([...t].some((x) => TEMPLATES[x] === 'volsync')) volsync.add(i)
    const gatus = [...templatesByKs.values()].some((t) => t.has('gatus'))
    if (ks?.yaml) {
      for (const lk of app.kustomizations) rewriteKustomization(ctx, ks, lk, moves, volsync.has(lk.index), gatus)
    }
    const privileged = needsPrivileged(ctx)
    addNamespaceEntry(ctx, privileged)
    disableLegacyEntry(ctx)
    if (ctx.options.removeSource) for (const f of ws.filesUnder(app.legacyDir)) ws.delete(f.path)
    app.root = app.targetDir
  },
})

/** Where the app's folders go: the app folder, plus any shared legacy folder a Kustomization builds directly. */
interface Moves {
  targetOf(legacyPath: string): string | undefined
}

function planMoves(ctx: TransformContext): Moves {
  const { app } = ctx
  const moves: [string, string][] = [[app.legacyDir, app.targetDir]]
  const taken = new Set(app.kustomizations.filter((k) => k.dir && paths.isWithin(k.dir, app.legacyDir)).map((k) => paths.relative(app.legacyDir, k.dir!).split('/')[0]))
  for (const ks of app.kustomizations) {
    if (!ks.dir || paths.isWithin(ks.dir, app.legacyDir) || moves.some(([from]) => from === ks.dir)) continue
    let name = taken.has('app') ? paths.basename(ks.dir) : 'app'
    while (taken.has(name)) name = `${name}-shared`
    taken.add(name)
    moves.push([ks.dir, `${app.targetDir}/${name}`])
    ctx.report({
      rule: 'shared-folder-copied',
      severity: 'warning',
      message: `Kustomization ${ks.name} builds the shared legacy folder ${ks.dir}; it is copied into the app as ${app.targetDir}/${name}`,
      hint: 'the legacy folder stays for anything else that uses it; remove it once nothing does',
      at: { file: `${app.legacyDir}/ks.yaml` },
    })
  }
  moves.sort((a, b) => b[0].length - a[0].length)
  return {
    targetOf: (p) => {
      for (const [from, to] of moves) if (paths.isWithin(p, from)) return to + p.slice(from.length)
      return undefined
    },
  }
}

function templateName(ctx: TransformContext, dir: string): string | undefined {
  const base = `${ctx.config.legacy.appsDir}/base/_templates/`
  if (!dir.startsWith(base)) return undefined
  const name = dir.slice(base.length).split('/')[0]
  return name in TEMPLATES ? name : undefined
}

/** The app's Kustomize `kustomization.yaml`: templates out, shared legacy files re-pointed, `./` entries. */
function rewriteAppKustomization(ctx: TransformContext, file: WFile, legacyPath: string, moves: Moves): void {
  const y = file.yaml
  if (!y || y.hasErrors) return
  const legacyDir = paths.dirname(legacyPath)
  const newDir = paths.dirname(file.path)
  for (const doc of y.docs) {
    // `bases` is deprecated in kustomize; later transforms edit `resources` only.
    if (doc.length(['bases']) > 0) {
      const bases = doc.items(['bases']).filter((e): e is string => typeof e === 'string')
      ctx.report({ rule: 'bases-to-resources', severity: 'info', message: `bases (deprecated in kustomize) are listed under resources: ${bases.join(', ')}`, at: { file: file.origin, span: doc.span(['bases']) } })
      for (const b of bases) doc.push(['resources'], b)
      doc.delete(['bases'])
    }
    for (const key of ['resources', 'components']) {
      for (let i = doc.length([key]) - 1; i >= 0; i--) {
        const entry = doc.getString([key, i])
        if (entry === undefined) continue
        const resolved = paths.join(legacyDir, entry)
        if (resolved === undefined || /^[a-z]+:\/\//i.test(entry)) continue
        const template = templateName(ctx, resolved)
        if (template !== undefined) {
          const component = TEMPLATES[template]
          ctx.report({
            rule: component ? 'template-to-component' : 'template-dropped',
            severity: 'info',
            message: component
              ? `template ${entry} is replaced by the ${component} component in ks.yaml`
              : `template ${entry} is dropped: Chongus has no ${template} template (its endpoint check and variables go with it)`,
            loss: component ? undefined : true,
            at: { file: file.origin, span: doc.span([key, i]) },
          })
          doc.delete([key, i])
          continue
        }
        const moved = moves.targetOf(resolved)
        if (moved !== undefined) {
          const rel = paths.dotRelative(newDir, moved)
          if (rel !== entry) doc.set([key, i], rel)
        } else {
          const rel = paths.relative(newDir, resolved)
          ctx.report({
            rule: 'shared-legacy-resource',
            severity: 'warning',
            message: `${entry} is shared from the legacy tree (${resolved}); it now reads ${rel}`,
            hint: 'cluster-cd/ is deprecated: copy what the app needs into it, or make it a component',
            at: { file: file.origin, span: doc.span([key, i]) },
          })
          doc.set([key, i], rel)
        }
      }
      if (doc.has([key]) && doc.length([key]) === 0 && key === 'components') doc.delete([key])
    }
    for (const key of ['namespace', 'commonLabels']) {
      if (!doc.has([key])) continue
      const loss = key === 'commonLabels'
      ctx.report({
        rule: `${key === 'namespace' ? 'namespace' : 'common-labels'}-dropped`,
        severity: 'info',
        message:
          key === 'namespace'
            ? `kustomize namespace: ${doc.getString([key])} is dropped: the Flux Kustomization's targetNamespace sets it`
            : `commonLabels ${JSON.stringify(doc.get([key]))} are dropped (Chongus sets app.kubernetes.io/name through commonMetadata)`,
        loss,
        at: { file: file.origin, span: doc.span([key]) },
      })
      doc.delete([key])
    }
  }
}

const TOP_ORDER = ['apiVersion', 'kind', 'metadata', 'spec']
const topRank = (k: string) => (TOP_ORDER.includes(k) ? TOP_ORDER.indexOf(k) : TOP_ORDER.length)

function rewriteKustomization(ctx: TransformContext, ks: WFile, lk: LegacyKustomization, moves: Moves, volsync: boolean, gatus: boolean): void {
  const doc = ks.yaml!.docs[lk.index]
  const { app, config } = ctx
  const res: Resource = { file: ks, doc, ref: { apiVersion: doc.getString(['apiVersion']) ?? '', kind: 'Kustomization', name: lk.name } }
  const at = (path: (string | number)[]) => ({ resource: res, path })
  // The anchors go on metadata and the aliases into spec: an alias must come after its anchor.
  const top = doc.keys([])
  if (top.includes('spec') && top.indexOf('spec') < top.indexOf('metadata')) {
    doc.sortKeys([], (a, b) => topRank(a) - topRank(b))
    ctx.report({ rule: 'keys-reordered', severity: 'info', message: `the keys of Kustomization ${lk.name} are in the usual order (apiVersion, kind, metadata, spec): spec uses the anchors metadata defines`, at: at(['metadata']) })
  }
  if (!doc.anchor(['metadata', 'name'])) doc.set(['metadata', 'name'], new AnchoredValue(lk.name, 'app'))
  doc.set(['metadata', 'namespace'], new AnchoredValue(app.namespace, 'namespace'))
  const labels = stringMap(doc, ['metadata', 'labels'])
  if ('substitution.flux.home.arpa/disabled' in labels) {
    doc.delete(['metadata', 'labels', 'substitution.flux.home.arpa/disabled'])
    if (doc.keys(['metadata', 'labels']).length === 0) doc.delete(['metadata', 'labels'])
  }
  doc.set(['spec', 'targetNamespace'], new AliasValue('namespace'))
  const dir = lk.dir ? moves.targetOf(lk.dir) : undefined
  if (dir) doc.set(['spec', 'path'], `./${dir}`)
  const sr = config.target.sourceRef
  const prevSource = doc.getString(['spec', 'sourceRef', 'name'])
  if (prevSource !== sr.name) ctx.report({ rule: 'source-ref', severity: 'info', message: `sourceRef ${prevSource ?? '(none)'} → ${sr.kind} ${sr.namespace}/${sr.name}`, at: at(['spec', 'sourceRef']) })
  doc.set(['spec', 'sourceRef'], { kind: sr.kind, name: sr.name, namespace: sr.namespace })
  rewriteDependsOn(ctx, doc, lk, moves, volsync, at)
  if (volsync) {
    const component = `${config.target.componentsDir}/volsync`
    const rel = paths.relative(dir ?? app.targetDir, component)
    if (!ctx.ws.isDir(component)) {
      ctx.report({ rule: 'missing-component', severity: 'error', message: `component ${component} does not exist`, hint: 'create the volsync component or set target.componentsDir', at: at(['spec']) })
    }
    const list = doc.items(['spec', 'components'])
    if (!list.includes(rel)) doc.push(['spec', 'components'], rel)
  }
  doc.set(['spec', 'interval'], config.target.interval)
  doc.set(['spec', 'retryInterval'], config.target.retryInterval)
  doc.set(['spec', 'timeout'], config.target.timeout)
  doc.set(['spec', 'wait'], false)
  doc.set(['spec', 'prune'], true)
  const sub = ['spec', 'postBuild', 'substitute']
  for (const key of doc.keys(sub)) {
    if (!DROPPED_VARIABLES.some((r) => r.test(key))) continue
    ctx.report({
      rule: 'variable-dropped',
      severity: 'info',
      message: `postBuild.substitute ${key}: ${doc.getString([...sub, key])} is dropped with the ${key.startsWith('GATUS') ? 'gatus template' : 'legacy volsync template'}`,
      loss: !(key.startsWith('GATUS') && gatus) || undefined,
      at: at([...sub, key]),
    })
    doc.delete([...sub, key])
  }
  if (doc.getString([...sub, 'APP']) === lk.name && doc.aliasOf([...sub, 'APP']) === undefined && doc.anchor(['metadata', 'name']) === 'app') doc.set([...sub, 'APP'], new AliasValue('app'))
  doc.sortKeys(sub, cmp)
  if (doc.has(sub) && doc.keys(sub).length === 0) doc.delete(sub)
  if (doc.has(['spec', 'postBuild']) && doc.keys(['spec', 'postBuild']).length === 0) doc.delete(['spec', 'postBuild'])
  doc.sortKeys(['metadata'], (a, b) => rank(a) - rank(b))
  doc.sortKeys(['spec'], cmp)
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const rank = (k: string) => ['name', 'namespace', 'labels', 'annotations'].indexOf(k) + 1 || 99

function rewriteDependsOn(ctx: TransformContext, doc: YamlDoc, lk: LegacyKustomization, moves: Moves, volsync: boolean, at: (p: (string | number)[]) => { resource: Resource; path: (string | number)[] }): void {
  const { app, config } = ctx
  const siblings = new Set(app.kustomizations.map((k) => k.name))
  const own = (lk.tree?.resources ?? []).map((f) => moves.targetOf(f)).map((f) => (f ? ctx.ws.file(f) : undefined))
  const hasExternalSecret = ctx.ws.resources(own.filter((f): f is WFile => f !== undefined)).some((r) => r.ref.kind === 'ExternalSecret')
  const out: { name: string; namespace: string }[] = []
  const add = (d: { name: string; namespace: string }) => {
    if (!out.some((x) => x.name === d.name && x.namespace === d.namespace)) out.push(d)
  }
  lk.dependsOn.forEach((dep, i) => {
    const where = at(['spec', 'dependsOn', i])
    if (siblings.has(dep.name)) return add({ name: dep.name, namespace: app.namespace })
    if (dep.name in config.dependsOn) {
      const mapped = config.dependsOn[dep.name]
      if (mapped === null) {
        ctx.report({ rule: 'dependency-dropped', severity: 'info', message: `dependsOn ${dep.name} is dropped: Chongus has no such dependency (Gateway API and operators are cluster-wide)`, at: where })
        return
      }
      if (dep.name === 'external-secrets-stores' && !hasExternalSecret) {
        ctx.report({ rule: 'dependency-dropped', severity: 'info', message: `dependsOn ${dep.name} is dropped: the app has no ExternalSecret of its own`, at: where })
        return
      }
      return add(mapped)
    }
    const found = findLegacyKustomization(ctx, dep.name)
    if (found) {
      const ns = config.namespaces[found] ?? found
      ctx.report({ rule: 'dependency-namespace', severity: 'info', message: `dependsOn ${dep.name} → namespace ${ns}, where its legacy app lives; it must be migrated too`, at: where })
      return add({ name: dep.name, namespace: ns })
    }
    ctx.report({
      rule: 'unknown-dependency',
      severity: 'warning',
      message: `dependsOn ${dep.name} names no known Kustomization; kept in namespace ${dep.namespace ?? app.namespace}`,
      hint: `map it in .bitty2chongus.yaml: dependsOn: {${dep.name}: {name: <chongus name>, namespace: <namespace>}} (or null to drop it)`,
      at: where,
    })
    add({ name: dep.name, namespace: dep.namespace ?? app.namespace })
  })
  if (volsync) {
    const rook = config.dependsOn['rook-ceph-cluster']
    if (rook && !out.some((d) => d.name === rook.name)) {
      ctx.report({ rule: 'dependency-added', severity: 'info', message: `dependsOn ${rook.name} (${rook.namespace}) added: the volsync component's claim uses the ceph storage class`, at: at(['spec']) })
      add(rook)
    }
  }
  if (out.length === 0) doc.delete(['spec', 'dependsOn'])
  else doc.set(['spec', 'dependsOn'], out)
}

const legacyIndex = new WeakMap<object, Map<string, string>>()

/** Legacy namespace folder of the Flux Kustomization named `name`, searched in every legacy ks.yaml. */
function findLegacyKustomization(ctx: TransformContext, name: string): string | undefined {
  let idx = legacyIndex.get(ctx.ws)
  if (!idx) {
    idx = new Map()
    const root = `${ctx.config.legacy.appsDir}/${ctx.app.cluster}`
    for (const ns of ctx.ws.list(root)) {
      for (const appName of ctx.ws.list(`${root}/${ns}`)) {
        const y = ctx.ws.file(`${root}/${ns}/${appName}/ks.yaml`)?.yaml
        if (!y || y.hasErrors) continue
        for (const d of y.docs) {
          const n = d.getString(['metadata', 'name'])
          if (n && d.getString(['kind']) === 'Kustomization' && !idx.has(n)) idx.set(n, ns)
        }
      }
    }
    legacyIndex.set(ctx.ws, idx)
  }
  return idx.get(name)
}
