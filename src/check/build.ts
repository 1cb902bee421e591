/**
 * The real kustomize build, as Flux runs it: the Flux Kustomization's `spec.path` with its ks.yaml `components`
 * and `targetNamespace` added to the root kustomization (generated when the folder has none), then
 * `postBuild.substitute` applied to each rendered object. The files are handed to a {@link Builder} (kubectl in a
 * temporary folder, see `src/kubectl.ts`); nothing is written inside the repository.
 */
import { YamlFile } from '../document.ts'
import { findKustomization } from '../kustomize.ts'
import { relative } from '../paths.ts'
import { isYamlPath, Workspace } from '../workspace.ts'
import { MemoryVfs } from '../vfs.ts'
import type { CheckContext } from './context.ts'
import type { AppModel, KsModel } from './model.ts'
import { validateResource } from './schema.ts'
import { substitutionDisabled } from './substitution.ts'

/** Files (repository-relative path → text) and the folder to build. */
export interface BuildRequest {
  files: Record<string, string>
  dir: string
}

/** The rendered YAML stream, or kustomize's error message. */
export type BuildOutcome = { ok: true; output: string } | { ok: false; error: string }

/** Runs `kustomize build`. */
export interface Builder {
  /** Why builds cannot run here (e.g. kubectl is not on PATH), or undefined when they can. */
  unavailable(): Promise<string | undefined>
  build(request: BuildRequest): Promise<BuildOutcome>
}

/** The files a build of `ks` reads, with its root kustomization rewritten the way Flux does. */
export function buildRequest(ctx: CheckContext, ks: KsModel): BuildRequest | undefined {
  if (!ks.dir || !ks.tree) return undefined
  const files: Record<string, string> = {}
  const dirs = [ks.dir, ...ks.components.map((c) => c.dir).filter((d): d is string => d !== undefined)]
  const paths = new Set<string>()
  for (const d of dirs) for (const f of ctx.ws.filesUnder(d)) paths.add(f.path)
  for (const t of [ks.tree, ...ks.components.map((c) => c.tree)]) for (const p of [...(t?.kustomizations ?? []), ...(t?.resources ?? []), ...(t?.inputs ?? [])]) paths.add(p)
  for (const p of paths) {
    const text = ctx.ws.file(p)?.after
    if (text !== undefined) files[p] = text
  }
  const rootFile = findKustomization(ctx.ws, ks.dir)
  const y = new YamlFile(rootFile ? files[rootFile] : '')
  let doc = y.docs.find((d) => d.getString(['kind']) === 'Kustomization' || d.has(['resources']))
  if (!doc) {
    // Flux generates a kustomization of every manifest below spec.path.
    const resources = ctx.ws.filesUnder(ks.dir).filter((f) => isYamlPath(f.path)).map((f) => relative(ks.dir!, f.path))
    doc = y.addDocument({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources })
  }
  for (const c of ks.components) doc.push(['components'], c.entry)
  const spec = ks.resource.doc
  const tn = spec.getString(['spec', 'targetNamespace'])
  if (tn !== undefined) doc.set(['namespace'], tn)
  // The rest of what Flux writes into the root kustomization before it builds.
  for (const key of ['namePrefix', 'nameSuffix']) {
    const v = spec.getString(['spec', key])
    if (v !== undefined) doc.set([key], v)
  }
  for (const key of ['patches', 'images']) for (const item of spec.items(['spec', key])) doc.push([key], item)
  delete files[rootFile ?? '']
  files[rootFile ?? `${ks.dir}/kustomization.yaml`] = y.render()
  return { files, dir: ks.dir }
}

/** Builds each Kustomization of the app and validates what it renders; a build failure is an error. */
export async function buildRules(ctx: CheckContext, app: AppModel, builder: Builder, known: ReadonlySet<string>): Promise<void> {
  for (const ks of app.kustomizations) {
    const req = buildRequest(ctx, ks)
    if (!req) continue
    const at = { resource: ks.resource, path: ['spec', 'path'] }
    const out = await builder.build(req)
    if (!out.ok) {
      ctx.report(app, { rule: 'kustomize-build', message: `kustomize build of Kustomization ${ks.name} failed: ${out.error}`, hint: 'run kubectl kustomize on spec.path (with the ks.yaml components) to see the failure', at })
      continue
    }
    const rendered = new Workspace(new MemoryVfs({ 'rendered.yaml': out.output }))
    const file = rendered.file('rendered.yaml')!
    const forward: CheckContext = {
      ...ctx,
      report(_app, hit) {
        if (known.has(hit.message)) return
        ctx.report(app, { ...hit, message: `rendered ${hit.message}`, at, subject: hit.message })
      },
    }
    for (const r of rendered.resources([file])) await validateResource(forward, app, r, ks.postBuild && !substitutionDisabled(r) ? ks.substitute : undefined)
  }
}

