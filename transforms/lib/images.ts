/**
 * Kustomize `images:` folded into the images they rewrite, and the unpinned-image check.
 *
 * Kustomize rewrites `image` strings of items in any `containers`/`initContainers` sequence of the resources a
 * kustomization builds (its legacy image filter), nothing else: app-template values (`image: {repository, tag}`
 * in maps) were never touched by `images:`, so an entry naming one is reported, not folded.
 */
import { paths, planImageOverrides, resolveKustomize, type KeyPath, type Resource, type TransformContext, type WFile, type YamlDoc } from '../../src/transform-api.ts'
import type { Tree } from './app-tree.ts'

/** An image reference: a container `image` string, or an `image` map of HelmRelease values. */
export interface FoundImage {
  resource: Resource
  /** Key path of the `image` string or map. */
  path: KeyPath
  form: 'string' | 'map'
  repository: string
  tag?: string
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** `repo[:tag][@digest]` split as kustomize does; a digest alone is kept as the tag `@sha256:…`. */
export function splitImage(ref: string): { repository: string; tag?: string } {
  const at = ref.indexOf('@')
  const base = at < 0 ? ref : ref.slice(0, at)
  const digest = at < 0 ? '' : ref.slice(at)
  const colon = base.lastIndexOf(':')
  if (colon > base.lastIndexOf('/')) return { repository: base.slice(0, colon), tag: base.slice(colon + 1) + digest }
  return digest ? { repository: base, tag: digest } : { repository: base }
}

/** The reverse of {@link splitImage}. */
export function joinImage(repository: string, tag: string | undefined): string {
  if (tag === undefined) return repository
  return tag.startsWith('@') ? `${repository}${tag}` : `${repository}:${tag}`
}

/** Container image strings (what kustomize rewrites) and, in a HelmRelease, `image` maps of its values. */
export function imagesOf(resource: Resource): FoundImage[] {
  const out: FoundImage[] = []
  const walk = (v: unknown, path: KeyPath, inValues: boolean): void => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, [...path, i], inValues))
    if (!isObj(v)) return
    for (const [k, x] of Object.entries(v)) {
      const p = [...path, k]
      if ((k === 'containers' || k === 'initContainers') && Array.isArray(x)) {
        x.forEach((c, i) => {
          if (isObj(c) && typeof c.image === 'string') out.push({ resource, path: [...p, i, 'image'], form: 'string', ...splitImage(c.image) })
        })
      }
      if (k === 'image' && inValues && isObj(x) && typeof x.repository === 'string') {
        const registry = typeof x.registry === 'string' && x.registry !== '' ? `${x.registry}/` : ''
        const tag = typeof x.tag === 'string' ? x.tag : undefined
        const digest = typeof x.digest === 'string' && x.digest !== '' ? `@${x.digest}` : ''
        out.push({ resource, path: p, form: 'map', repository: registry + x.repository, tag: tag === undefined && !digest ? undefined : `${tag ?? ''}${digest}` })
      }
      walk(x, p, inValues || (resource.ref.kind === 'HelmRelease' && path.length === 1 && path[0] === 'spec' && k === 'values'))
    }
  }
  walk(resource.doc.get([]), [], false)
  return out
}

/** Folds the `images:` of every kustomization the app builds, innermost first, and removes them. */
export function foldImages(ctx: TransformContext, trees: readonly Tree[]): void {
  const files = [...new Set(trees.flatMap((t) => t.kustomizations))].sort((a, b) => b.split('/').length - a.split('/').length || a.localeCompare(b))
  for (const path of files) {
    const file = ctx.ws.file(path)
    if (!file?.yaml || file.yaml.hasErrors) continue
    for (const doc of file.yaml.docs) if (doc.has(['images'])) foldOne(ctx, file, doc, paths.dirname(path))
  }
}

function foldOne(ctx: TransformContext, file: WFile, doc: YamlDoc, dir: string): void {
  const tree = resolveKustomize(ctx.ws, dir, ctx.app.root)
  const found = ctx.ws.resources(tree.resources.map((p) => ctx.ws.file(p)).filter((f): f is WFile => f !== undefined)).flatMap(imagesOf)
  const strings = found.filter((i) => i.form === 'string')
  const entries = doc.get(['images'])
  const plan = planImageOverrides(entries, strings)
  const atEntry = (p: KeyPath | undefined) => ({ file, span: doc.span(p ?? ['images']) })
  const explained = new Set<number>()
  if (Array.isArray(entries)) {
    entries.forEach((e, i) => {
      if (!isObj(e) || strings.some((s) => s.repository === e.name)) return
      const hit = found.find((m) => m.form === 'map' && m.repository === e.name)
      if (!hit) return
      explained.add(i)
      const same = e.newTag === undefined || e.newTag === hit.tag
      ctx.report({
        rule: 'image-override-not-applied',
        severity: same ? 'info' : 'warning',
        message: `images[${i}] (${String(e.name)}) names an image of ${hit.resource.ref.kind} ${hit.resource.ref.name}'s values, which kustomize never rewrites; the values keep ${joinImage(hit.repository, hit.tag)}`,
        hint: same ? undefined : `if ${String(e.newTag)} was meant, set it as the tag in the values`,
        loss: !same || undefined,
        at: atEntry(['images', i]),
      })
    })
  }
  for (const f of plan.findings) {
    const entry = f.path?.[0] === 'images' ? f.path[1] : undefined
    if (f.rule === 'image-not-pinned' || (f.rule === 'image-override-unmatched' && typeof entry === 'number' && explained.has(entry))) continue
    ctx.report({ rule: f.rule, severity: f.severity, message: f.message, hint: f.hint, loss: f.loss, at: atEntry(f.path) })
  }
  for (const fold of plan.folds) {
    const img = strings.find((s) => s.path === fold.path)!
    const before = joinImage(img.repository, img.tag)
    const after = joinImage(fold.repository, fold.tag)
    const by = fold.entries.map((i) => `images[${i}]`).join(', ')
    ctx.report({
      rule: 'image-folded',
      severity: 'info',
      message: before === after ? `${by} of ${file.path.split('/').pop()} already matches ${after}; removed` : `${before} → ${after} (${by} folded)`,
      at: { resource: img.resource, path: img.path },
    })
    img.resource.doc.set(img.path, after)
  }
  const [start, end] = doc.span(['images'])
  const text = file.yaml!.text
  const key = text.lastIndexOf('images', start)
  const comments = text.slice(key < 0 ? start : key, end).match(/(?<=^|\s)#.*$/gm)
  if (comments) {
    const message = `comments inside images: go with it: ${comments.map((c) => c.trim()).join(' / ')}`
    ctx.report({ rule: 'images-comment-dropped', severity: 'info', message, loss: true, at: atEntry(['images']) })
  }
  doc.delete(['images'])
}
