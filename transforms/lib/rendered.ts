/**
 * What each Flux Kustomization of the migrated `ks.yaml` renders: the manifests, the kustomization files (their
 * generator literals and names land in the output too), the files configMapGenerators read, and its components.
 * Flux substitutes variables in all of that, except in objects marked `kustomize.toolkit.fluxcd.io/substitute:
 * disabled`.
 */
import { isFluxKustomization, paths, resolveKustomize, stringMap, type TransformContext, type WFile, type YamlDoc } from '../../src/transform-api.ts'

export const SUBSTITUTE_DISABLED = 'kustomize.toolkit.fluxcd.io/substitute'

/** How a rendered file reaches the output. */
export type Role = 'manifest' | 'kustomization' | 'generator'

export interface RenderedFile {
  path: string
  role: Role
  /** Every object made from it is marked `substitute: disabled` (by its generator or a kustomization). */
  disabled: boolean
}

/** One Flux Kustomization of the migrated ks.yaml and what it renders. */
export interface RenderedKs {
  /** Index of its document in ks.yaml. */
  index: number
  doc: YamlDoc
  name: string
  /** Repository folder of `spec.path`, when it exists. */
  dir: string | undefined
  files: RenderedFile[]
}

/** True when `doc` (a manifest) opts out of substitution by label or annotation. */
export function substitutionDisabled(doc: YamlDoc): boolean {
  return ['labels', 'annotations'].some((k) => doc.getString(['metadata', k, SUBSTITUTE_DISABLED]) === 'disabled')
}

function marks(doc: YamlDoc, base: (string | number)[]): boolean {
  return ['labels', 'annotations'].some((k) => stringMap(doc, [...base, k])[SUBSTITUTE_DISABLED] === 'disabled')
}

/** The Flux Kustomizations of `ks` (the app's ks.yaml) with their rendered files. */
export function renderedKustomizations(ctx: TransformContext, ks: WFile): RenderedKs[] {
  const out: RenderedKs[] = []
  const y = ks.yaml
  if (!y || y.hasErrors) return out
  y.docs.forEach((doc, index) => {
    if (!isFluxKustomization(doc)) return
    const specPath = doc.getString(['spec', 'path']) ?? ''
    const p = paths.normalize(specPath.replace(/^\.\//, ''))
    const dir = p !== undefined && !specPath.includes('${') && ctx.ws.isDir(p) ? p : undefined
    const files = new Map<string, RenderedFile>()
    if (dir !== undefined) {
      const roots = [dir]
      for (let i = 0; i < doc.length(['spec', 'components']); i++) {
        const c = paths.join(dir, doc.getString(['spec', 'components', i]) ?? '')
        if (c !== undefined && ctx.ws.isDir(c)) roots.push(c)
      }
      for (const r of roots) collect(ctx, r, files)
    }
    out.push({ index, doc, name: doc.getString(['metadata', 'name']) ?? '', dir, files: [...files.values()] })
  })
  return out
}

function collect(ctx: TransformContext, dir: string, files: Map<string, RenderedFile>): void {
  const tree = resolveKustomize(ctx.ws, dir)
  const disabledDirs: string[] = []
  const generated = new Map<string, boolean>()
  for (const k of tree.kustomizations) {
    const kdir = paths.dirname(k)
    for (const doc of ctx.ws.file(k)?.yaml?.docs ?? []) {
      if (['commonLabels', 'commonAnnotations'].some((f) => stringMap(doc, [f])[SUBSTITUTE_DISABLED] === 'disabled')) disabledDirs.push(kdir)
      const all = marks(doc, ['generatorOptions'])
      for (let i = 0; i < doc.length(['configMapGenerator']); i++) {
        const off = all || marks(doc, ['configMapGenerator', i, 'options'])
        const entries: string[] = []
        for (const sub of ['files', 'envs']) {
          for (let j = 0; j < doc.length(['configMapGenerator', i, sub]); j++) entries.push(doc.getString(['configMapGenerator', i, sub, j]) ?? '')
        }
        entries.push(doc.getString(['configMapGenerator', i, 'env']) ?? '')
        for (const e of entries) {
          const file = e === '' ? undefined : paths.join(kdir, e.includes('=') ? e.slice(e.indexOf('=') + 1) : e)
          if (file !== undefined && ctx.ws.exists(file)) generated.set(file, (generated.get(file) ?? true) && off)
        }
      }
    }
  }
  const under = (p: string): boolean => disabledDirs.some((d) => paths.isWithin(p, d))
  const add = (path: string, role: Role, disabled: boolean): void => {
    if (!files.has(path)) files.set(path, { path, role, disabled: disabled || under(path) })
  }
  for (const k of tree.kustomizations) add(k, 'kustomization', false)
  for (const r of tree.resources) add(r, 'manifest', false)
  for (const [f, off] of generated) add(f, 'generator', off)
  // Patches are merged into rendered objects; other inputs (secretGenerator files, configurations) are not
  // substituted as text: Flux sees secret data base64-encoded.
  for (const f of tree.inputs) if (!generated.has(f) && isPatch(ctx, tree.kustomizations, f)) add(f, 'manifest', false)
}

function isPatch(ctx: TransformContext, kustomizations: readonly string[], file: string): boolean {
  for (const k of kustomizations) {
    const kdir = paths.dirname(k)
    for (const doc of ctx.ws.file(k)?.yaml?.docs ?? []) {
      for (const key of ['patches', 'patchesStrategicMerge']) {
        for (let i = 0; i < doc.length([key]); i++) {
          const entry = doc.getString([key, i, 'path']) ?? doc.getString([key, i])
          if (entry !== undefined && paths.join(kdir, entry) === file) return true
        }
      }
    }
  }
  return false
}
