/**
 * Where the legacy cluster's substitution came from: the Flux root Kustomization that applies the app's ks.yaml
 * (its own `postBuild`, which renders ks.yaml itself, and the patches it injects into every child), and the
 * Secrets and ConfigMaps those name. A SOPS Secret's key names are read without decrypting it.
 */
import {
  YamlFile,
  injectedSubstitution,
  isFluxKustomization,
  paths,
  postBuildOf,
  sopsInfo,
  type Injection,
  type SubstituteFromRef,
  type TransformContext,
  type YamlDoc,
} from '../../src/transform-api.ts'

/** A ConfigMap or Secret of the legacy Flux folder that a Kustomization substitutes from. */
export interface VarSource {
  readonly kind: string
  readonly name: string
  readonly file: string
  /** Its key names, i.e. the variables it defines. */
  readonly keys: readonly string[]
  readonly sops: boolean
}

/** The legacy root and what it gives the app's Kustomizations. */
export interface LegacyVars {
  /** The root Kustomization applying the app's ks.yaml, if found. */
  root: { file: string; doc: YamlDoc; name: string } | undefined
  /** Sources the root substitutes into ks.yaml itself. */
  rootFrom: SubstituteFromRef[]
  /** Per legacy ks.yaml document index: the child's effective settings once the root's patches apply. */
  injection(index: number): Injection | undefined
  /** The source a `substituteFrom` entry names, when the legacy Flux folder holds it. */
  source(ref: SubstituteFromRef): VarSource | undefined
  /** The legacy Flux folder searched. */
  fluxDir: string
}

/** The root's patches are the same for every app of a cluster: each text is parsed once. */
const patches = new Map<string, unknown>()
const parse = (text: string): unknown => {
  if (!patches.has(text)) {
    if (patches.size >= 64) patches.delete(patches.keys().next().value!)
    patches.set(text, new YamlFile(text).docs[0]?.get([]))
  }
  return structuredClone(patches.get(text))
}

/** The source each document of the legacy Flux folder is: every app of a cluster reads the same parses of its input. */
const sourceOf = new WeakMap<YamlDoc, VarSource>()

/** Reads the legacy root of `ctx.app` (never the draft: ks-layout has rewritten or removed the legacy ks.yaml). */
export function legacyVars(ctx: TransformContext): LegacyVars {
  const { app, config, ws } = ctx
  const fluxDir = config.legacy.fluxDir.replace(/\{cluster\}/g, app.cluster)
  const roots: { file: string; doc: YamlDoc; name: string; dir: string }[] = []
  const sources: VarSource[] = []
  for (const f of ws.isDir(fluxDir) ? ws.filesUnder(fluxDir) : []) {
    const y = f.beforeYaml
    if (!y || y.hasErrors) continue
    for (const doc of y.docs) {
      const kind = doc.getString(['kind'])
      const name = doc.getString(['metadata', 'name']) ?? ''
      if (isFluxKustomization(doc)) {
        const dir = paths.normalize((doc.getString(['spec', 'path']) ?? '').replace(/^\.\//, ''))
        if (dir !== undefined && dir !== '' && paths.isWithin(app.legacyDir, dir)) roots.push({ file: f.path, doc, name, dir })
      } else if (kind === 'Secret' || kind === 'ConfigMap') {
        let source = sourceOf.get(doc)
        if (!source) {
          const info = sopsInfo(doc.get([]))
          const keys = info ? info.keys : [...doc.keys(['data']), ...doc.keys(['stringData'])]
          sourceOf.set(doc, (source = { kind, name, file: f.path, keys: [...new Set(keys)], sops: info !== undefined }))
        }
        sources.push(source)
      }
    }
  }
  // The deepest folder is the Kustomization that applies the app's ks.yaml.
  roots.sort((a, b) => b.dir.length - a.dir.length)
  const root = roots[0]
  // The input's ks.yaml, parsed once for every reader (the draft's may be moved or rewritten by now).
  const ks = `${app.legacyDir}/ks.yaml`
  const legacyFile = ws.peek(ks) ?? ws.file(ks)
  const legacyDocs = (legacyFile?.before === undefined ? undefined : legacyFile.beforeYaml)?.docs ?? []
  const cache = new Map<number, Injection | undefined>()
  return {
    root,
    rootFrom: root ? postBuildOf(root.doc.get([])).substituteFrom : [],
    fluxDir,
    injection(index) {
      if (!cache.has(index)) {
        const child = legacyDocs[index]?.get([])
        cache.set(index, child === undefined ? undefined : root ? injectedSubstitution(root.doc.get([]), child, { parse }) : { ...postBuildOf(child), patches: [], injected: false })
      }
      return cache.get(index)
    },
    source: (ref) => sources.find((s) => s.kind === ref.kind && s.name === ref.name),
  }
}
