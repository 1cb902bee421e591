/** What the app's Flux Kustomizations render where the app is now, and which kustomization lists a file. */
import { findKustomization, isFluxKustomization, paths, resolveKustomize, type TransformContext, type WFile, type YamlDoc } from '../../src/transform-api.ts'

/** The kustomize tree of one folder (see `resolveKustomize`). */
export type Tree = ReturnType<typeof resolveKustomize>

/**
 * The trees of the app's Flux Kustomizations (`<root>/ks.yaml`), read at their current `spec.path`; the legacy
 * `${CLUSTER_NAME}` in a path not yet rewritten is the app's cluster.
 */
export function renderedTrees(ctx: TransformContext): Tree[] {
  const ks = ctx.ws.file(`${ctx.app.root}/ks.yaml`)?.yaml
  if (!ks || ks.hasErrors) return []
  const out: Tree[] = []
  for (const doc of ks.docs) {
    if (!isFluxKustomization(doc)) continue
    const spec = doc.getString(['spec', 'path']) ?? ''
    const dir = paths.normalize(spec.replace(/\$\{CLUSTER_NAME\}/g, ctx.app.cluster).replace(/^\.\//, ''))
    if (dir !== undefined && ctx.ws.isDir(dir)) out.push(resolveKustomize(ctx.ws, dir, ctx.app.root))
  }
  return out
}

/** A `resources:` entry of a kustomization that names a file. */
export interface Listing {
  file: WFile
  doc: YamlDoc
  index: number
  entry: string
}

/** The kustomization entry (among the trees' kustomizations) that lists `path` as a resource. */
export function listingOf(ctx: TransformContext, trees: readonly Tree[], path: string): Listing | undefined {
  for (const k of new Set(trees.flatMap((t) => t.kustomizations))) {
    const file = ctx.ws.file(k)
    const y = file?.yaml
    if (!file || !y || y.hasErrors) continue
    for (const doc of y.docs) {
      for (let i = 0; i < doc.length(['resources']); i++) {
        const entry = doc.getString(['resources', i])
        if (entry !== undefined && paths.join(paths.dirname(k), entry) === path) return { file, doc, index: i, entry }
      }
    }
  }
  return undefined
}

/**
 * True when `path` is rendered by a Flux Kustomization whose folder has no kustomization file: Flux then
 * generates one of every manifest below it, so a file written beside `path` is rendered too.
 */
export function isInGeneratedRoot(ctx: TransformContext, trees: readonly Tree[], path: string): boolean {
  return trees.some((t) => findKustomization(ctx.ws, t.dir) === undefined && paths.isWithin(path, t.dir))
}
