/**
 * Every Flux Kustomization of a repository (name and namespace), for `dependsOn`. Scanning a large repository
 * costs a read of every file, so the scan is kept per `Vfs` (a repository is not expected to change under a run),
 * and a repository seen through pending changes reuses its base's scan.
 */
import { isFluxKustomization } from '../app.ts'
import { OverlayVfs, walk, type Vfs } from '../vfs.ts'
import { isYamlPath, Workspace } from '../workspace.ts'

/** A Flux Kustomization found in the repository. */
export interface KustomizationRef {
  name: string
  namespace: string | undefined
  file: string
}

const scans = new WeakMap<Vfs, KustomizationRef[]>()

function refsOf(path: string, text: string | undefined): KustomizationRef[] {
  // A text test first: most files hold no Kustomization and need no parse.
  if (text === undefined || !isYamlPath(path) || !text.includes('kustomize.toolkit.fluxcd.io')) return []
  const ws = new Workspace({ read: (p) => (p === path ? text : undefined), isDir: () => false, list: () => undefined })
  const f = ws.file(path)
  return f ? ws.resources([f]).filter((r) => isFluxKustomization(r.doc)).map((r) => ({ name: r.ref.name, namespace: r.ref.namespace, file: path })) : []
}

/** The Flux Kustomizations of the repository `vfs`. */
export function fluxKustomizations(vfs: Vfs): readonly KustomizationRef[] {
  let refs = scans.get(vfs)
  if (refs) return refs
  if (vfs instanceof OverlayVfs) {
    // Only the files the overlay changes need a new look.
    const changed = [...vfs.files].filter(([p, text]) => text !== vfs.base.read(p))
    const gone = new Set(changed.map(([p]) => p))
    refs = fluxKustomizations(vfs.base).filter((r) => !gone.has(r.file))
    for (const [p, text] of changed) refs.push(...refsOf(p, text))
  } else refs = walk(vfs, '').flatMap((p) => refsOf(p, vfs.read(p)))
  scans.set(vfs, refs)
  return refs
}
