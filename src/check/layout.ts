/** Layout rules: where the app lives, how its files are named, and that its namespace lists it. */
import { isFluxKustomization } from '../app.ts'
import { findKustomization } from '../kustomize.ts'
import { basename, dirname, isWithin, join, normalize } from '../paths.ts'
import { isYamlPath, type Workspace } from '../workspace.ts'
import type { CheckContext } from './context.ts'
import type { RuleName } from './rules.ts'
import type { AppModel } from './model.ts'

/** The rules of {@link layoutRules}. */
export const LAYOUT_RULES = ['yaml', 'layout', 'kebab-case', 'file-names', 'kustomization', 'outside-app'] as const satisfies readonly RuleName[]
type LayoutRule = (typeof LAYOUT_RULES)[number]

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/
/** Kind → the file it belongs in. */
const FILE_OF: Record<string, string> = { HelmRelease: 'helmrelease.yaml', OCIRepository: 'ocirepository.yaml', ExternalSecret: 'externalsecret.yaml' }

/** Layout, naming, YAML, kustomize-entry and outside-app rules of one app. */
export function layoutRules(ctx: CheckContext<LayoutRule>, app: AppModel): void {
  const root = ctx.config.target.appsDir
  const rel = isWithin(app.dir, root) && app.dir !== root ? app.dir.slice(root.length + 1).split('/') : []
  const ks = `${app.dir}/ks.yaml`
  if (rel.length !== 2) {
    ctx.report(app, { rule: 'layout', message: `${app.dir} is not an app folder ${root}/<namespace>/<app>`, hint: `move it to ${root}/<namespace>/${basename(app.dir)}`, at: { file: app.ksFile ? ks : app.dir } })
  } else {
    for (const [what, name] of [['namespace', rel[0]], ['app', rel[1]]])
      if (!KEBAB.test(name)) ctx.report(app, { rule: 'kebab-case', message: `${what} folder ${name} is not kebab-case`, hint: `rename it to ${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`, at: { file: app.ksFile ? ks : app.dir } })
  }
  if (!app.ksFile) {
    ctx.report(app, { rule: 'layout', message: `${app.dir} has no ks.yaml`, hint: 'the app folder holds ks.yaml (its Flux Kustomizations) and app/', at: { file: app.dir } })
    return
  }
  if (app.kustomizations.length === 0) ctx.report(app, { rule: 'layout', message: `${ks} holds no Flux Kustomization`, at: { file: ks } })
  if (!ctx.ws.isDir(`${app.dir}/app`)) ctx.report(app, { rule: 'layout', message: `${app.dir} has no app/ folder`, hint: 'put the manifests in app/ and point spec.path at it', at: { file: ks } })
  for (const f of app.files) {
    const y = f.yaml
    for (const p of y?.problems ?? []) if (p.severity === 'error') ctx.report(app, { rule: 'yaml', message: p.message, at: { file: f.path, span: p.span } })
    if (!isYamlPath(f.path)) continue
    const name = basename(f.path)
    if (name.endsWith('.yml')) ctx.report(app, { rule: 'file-names', message: `${name}: Chongus files end in .yaml`, hint: `rename it to ${name.slice(0, -4)}.yaml`, at: { file: f.path } })
    for (const r of ctx.ws.resources([f])) {
      const want = FILE_OF[r.ref.kind]
      if (want && name !== want && !/^kustomize\./.test(r.ref.apiVersion))
        ctx.report(app, { rule: 'file-names', message: `${r.ref.kind} ${r.ref.name} is in ${name}, not ${want}`, hint: `move it to ${dirname(f.path)}/${want}`, at: { resource: r }, subject: `file:${r.ref.kind}` })
      if (isFluxKustomization(r.doc) && f.path !== ks)
        ctx.report(app, { rule: 'file-names', message: `Flux Kustomization ${r.ref.name} is in ${f.path}, not the app's ks.yaml`, hint: `move it to ${ks}`, at: { resource: r } })
    }
  }
  for (const p of app.problems) ctx.report(app, { rule: 'kustomization', severity: p.severity, message: p.message, hint: p.hint ?? (p.severity === 'error' ? 'fix or remove the entry' : undefined), at: { file: p.file ?? ks, span: p.span } })
  const components = ctx.config.target.componentsDir
  const outside = new Set<string>()
  for (const k of app.kustomizations) for (const f of [...(k.tree?.resources ?? []), ...(k.tree?.inputs ?? [])]) if (!isWithin(f, app.dir) && !isWithin(f, components)) outside.add(f)
  for (const f of [...outside].sort())
    ctx.report(app, { rule: 'outside-app', message: `the app renders ${f}, outside its folder`, hint: 'copy what the app needs into it, or make the shared part a component', at: { file: ks } , subject: `outside:${f}` })
}

/** The namespace kustomizations of the apps' namespaces: present, listing each app, every entry existing. */
export function namespaceRules(ctx: CheckContext<'namespace-entry'>, apps: readonly AppModel[], otherEntries: (namespace: string) => boolean): void {
  const root = ctx.config.target.appsDir
  const byNs = new Map<string, AppModel[]>()
  for (const a of apps) if (a.ksFile && a.namespace !== '' && a.dir.split('/').length === root.split('/').length + 2) byNs.set(a.namespace, [...(byNs.get(a.namespace) ?? []), a])
  for (const [ns, list] of byNs) {
    const file = findKustomization(ctx.ws, `${root}/${ns}`)
    if (!file) {
      for (const a of list) ctx.report(a, { rule: 'namespace-entry', message: `namespace folder ${root}/${ns} has no kustomization.yaml: Flux never sees ${a.name}`, hint: `create it with resources: [./${a.name}/ks.yaml]`, at: { file: a.ksFile ? `${a.dir}/ks.yaml` : a.dir } })
      continue
    }
    const doc = ctx.ws.file(file)?.yaml?.docs.find((d) => d.has(['resources']) || d.getString(['kind']) === 'Kustomization')
    const entries = entriesOf(ctx.ws, file)
    for (const a of list) {
      if (entries.some((e) => e.path === `${a.dir}/ks.yaml` || e.path === a.dir)) continue
      ctx.report(a, { rule: 'namespace-entry', message: `${file} does not list ./${a.name}/ks.yaml: Flux never deploys the app`, hint: `add ./${a.name}/ks.yaml to its resources`, at: { file, span: doc?.span(['resources']) } })
    }
    for (const e of otherEntries(ns) ? entries : []) {
      if (e.path === undefined || ctx.ws.exists(e.path) || ctx.ws.isDir(e.path)) continue
      ctx.report(undefined, { rule: 'namespace-entry', message: `${file} lists ${e.entry}, which does not exist`, hint: 'remove the entry or restore the app', at: { file, span: doc?.span(['resources', e.index]) } })
    }
  }
}

function entriesOf(ws: Workspace, file: string): { entry: string; index: number; path: string | undefined }[] {
  const doc = ws.file(file)?.yaml?.docs.find((d) => d.has(['resources']))
  const out: { entry: string; index: number; path: string | undefined }[] = []
  for (let i = 0; i < (doc?.length(['resources']) ?? 0); i++) {
    const entry = doc!.getString(['resources', i])
    if (entry !== undefined) out.push({ entry, index: i, path: join(dirname(file), entry) ?? normalize(entry) })
  }
  return out
}
