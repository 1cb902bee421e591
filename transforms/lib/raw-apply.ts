/** Replacing an app's raw manifests in its kustomization: which files and entries go, and the kustomize edits. */
import { YamlFile, paths, resolveKustomize, type Resource, type TransformContext, type WFile, type YamlDoc } from '../../src/transform-api.ts'
import type { RawApp } from './raw-manifests.ts'

/** What removing the consumed manifests takes. */
export interface RemovalPlan {
  /** App kustomization `resources`/`bases` entries to drop or replace, by key and index (descending). */
  entries: { key: string; index: number; replace: string[] }[]
  /** Files of a shared folder that keep manifests: copied into the app without the converted documents. */
  copies: { from: WFile; to: string; text: string }[]
  /** Files of the app folder to delete. */
  files: WFile[]
  /** Documents to remove from files that keep others. */
  docs: { file: WFile; doc: YamlDoc }[]
  /** Why the removal cannot be done (a shared file only partly converted). */
  problems: { file: WFile; message: string }[]
}

/** Plans the removal of the consumed resources through the app kustomization's `resources` (and `bases`) entries. */
export function planRemoval(ctx: TransformContext, raw: RawApp, consumed: ReadonlySet<Resource>): RemovalPlan {
  const plan: RemovalPlan = { entries: [], files: [], docs: [], copies: [], problems: [] }
  const k = raw.kustomization
  const root = ctx.app.root
  const byFile = new Map<WFile, Resource[]>()
  for (const r of raw.resources) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r])
  const state = (f: WFile) => {
    const rs = byFile.get(f) ?? []
    const n = rs.filter((r) => consumed.has(r)).length
    return n === 0 ? 'none' : n === rs.length && f.yaml!.docs.every((d) => rs.some((r) => r.doc === d) || d.isEmpty) ? 'all' : 'some'
  }
  if (!k) {
    // Flux generates a kustomization of every manifest in the folder: a converted file goes, a partly converted one
    // loses its converted documents.
    for (const f of byFile.keys()) {
      const s = state(f)
      if (s === 'none') continue
      if (!paths.isWithin(f.path, root)) plan.problems.push({ file: f, message: `${f.path} is shared from outside the app and converts` })
      else if (s === 'all') plan.files.push(f)
      else for (const r of byFile.get(f)!) if (consumed.has(r)) plan.docs.push({ file: f, doc: r.doc })
    }
    return plan
  }
  const doc = k.yaml?.docs[0]
  if (!doc) return plan
  for (const key of ['resources', 'bases']) {
    const n = doc.length([key])
    for (let i = 0; i < n; i++) {
      const entry = doc.getString([key, i])
      const p = entry === undefined ? undefined : paths.join(raw.dir, entry)
      if (p === undefined) continue
      const file = ctx.ws.file(p)
      const files = file ? [file] : resolveKustomize(ctx.ws, p).resources.map((x) => ctx.ws.file(x)).filter((f): f is WFile => f !== undefined)
      const states = files.map(state)
      if (states.every((s) => s === 'none')) continue
      const inApp = files.every((f) => paths.isWithin(f.path, root))
      if (states.every((s) => s === 'all')) {
        plan.entries.push({ key, index: i, replace: [] })
        if (inApp) plan.files.push(...files)
        continue
      }
      if (!file && !inApp) {
        // A shared folder others may build: the app takes a copy of what stays, the folder is left alone.
        const kept = files.filter((f) => state(f) !== 'all')
        const to = kept.map((f) => `${raw.dir}/${paths.basename(f.path)}`)
        const texts = kept.map((f) => withoutConsumed(f, byFile.get(f) ?? [], consumed))
        // An existing copy with the same text is a previous run's.
        const clash = to.find((p, j) => (ctx.ws.exists(p) && ctx.ws.file(p)!.after !== texts[j]) || to.indexOf(p) !== j)
        if (clash) plan.problems.push({ file: k, message: `${entry} is shared and only part of it converts; its remaining manifests cannot be copied to ${clash}, which exists` })
        else {
          kept.forEach((f, j) => plan.copies.push({ from: f, to: to[j], text: texts[j] }))
          plan.entries.push({ key, index: i, replace: to.map((p) => `./${paths.basename(p)}`) })
        }
        continue
      }
      for (const f of files) {
        if (state(f) === 'none') continue
        if (!paths.isWithin(f.path, root)) plan.problems.push({ file: f, message: `${f.path} is shared from outside the app and only part of it converts` })
        else if (state(f) === 'all') plan.problems.push({ file: f, message: `${f.path} converts entirely but is listed through ${entry} with files that stay` })
        else for (const r of byFile.get(f)!) if (consumed.has(r)) plan.docs.push({ file: f, doc: r.doc })
      }
    }
  }
  plan.entries.sort((a, b) => b.index - a.index)
  return plan
}

/** A file's text without its consumed documents. */
function withoutConsumed(f: WFile, resources: readonly Resource[], consumed: ReadonlySet<Resource>): string {
  const y = new YamlFile(f.after ?? '')
  const drop = f.yaml!.docs.flatMap((d, i) => (resources.some((r) => r.doc === d && consumed.has(r)) ? [i] : []))
  for (const i of drop.reverse()) y.removeDocument(y.docs[i])
  return y.render()
}

/** Drops folded `images:` entries; the others can no longer apply once no raw workload is left. */
export function dropImages(ctx: TransformContext, raw: RawApp, used: readonly number[]): void {
  const doc = raw.kustomization?.yaml?.docs[0]
  if (!doc || !doc.has(['images'])) return
  const file = raw.kustomization!.origin
  for (let i = doc.length(['images']) - 1; i >= 0; i--) {
    const name = doc.getString(['images', i, 'name'])
    ctx.report(
      used.includes(i)
        ? { rule: 'image-folded', severity: 'info', message: `images: ${name} is folded into the HelmRelease values`, at: { file, span: doc.span(['images', i]) } }
        : { rule: 'image-dropped', severity: 'info', message: `images: ${name} matched no container, so it never applied; dropped`, loss: true, at: { file, span: doc.span(['images', i]) } },
    )
    doc.delete(['images', i])
  }
  doc.delete(['images'])
}

/** Stops hashing the names of generated objects the HelmRelease references by their plain name. */
export function unhashGenerators(ctx: TransformContext, raw: RawApp, names: readonly { kind: string; name: string }[]): void {
  const doc = raw.kustomization?.yaml?.docs[0]
  if (!doc) return
  for (const g of names) {
    const key = g.kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator'
    for (let i = 0; i < doc.length([key]); i++) {
      if (doc.getString([key, i, 'name']) !== g.name) continue
      ctx.report({ rule: 'generator-unhashed', severity: 'info', message: `${key} ${g.name} gets options.disableNameSuffixHash: true: the HelmRelease names it as written`, at: { file: raw.kustomization!.origin, span: doc.span([key, i]) } })
      doc.set([key, i, 'options', 'disableNameSuffixHash'], true)
    }
  }
}
