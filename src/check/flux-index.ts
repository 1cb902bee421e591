/**
 * The Flux Kustomizations of a repository with a given name, for `dependsOn`. Reading every file of a large
 * repository is the costly part, so the files that can hold a Kustomization are found once per `Vfs` (a repository
 * is not expected to change under a run), a repository seen through pending changes reuses its base's list, and only
 * the files that spell the asked-for name are parsed.
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

const API = 'kustomize.toolkit.fluxcd.io'
const candidates = new WeakMap<Vfs, string[]>()
/** Kustomizations of a file's text (small texts, the same across a run's views of the repository). */
const parsed = new Map<string, KustomizationRef[]>()

const mentions = (path: string, text: string | undefined): boolean => text !== undefined && isYamlPath(path) && text.includes(API)

function refsOf(path: string, text: string): KustomizationRef[] {
  const key = `${path}\0${text}`
  let refs = parsed.get(key)
  if (!refs) {
    const ws = new Workspace({ read: (p) => (p === path ? text : undefined), isDir: () => false, list: () => undefined })
    const f = ws.file(path)
    refs = f ? ws.resources([f]).filter((r) => isFluxKustomization(r.doc)).map((r) => ({ name: r.ref.name, namespace: r.ref.namespace, file: path })) : []
    if (parsed.size >= 4096) parsed.delete(parsed.keys().next().value!)
    parsed.set(key, refs)
  }
  return refs
}

/** Files of the repository that may hold a Flux Kustomization. */
function candidatesOf(vfs: Vfs): string[] {
  let list = candidates.get(vfs)
  if (list) return list
  if (vfs instanceof OverlayVfs) {
    // Only the files the overlay changes need a new look.
    const changed = [...vfs.files].filter(([p, text]) => text !== vfs.base.read(p)).map(([p]) => p)
    const gone = new Set(changed)
    list = [...candidatesOf(vfs.base).filter((p) => !gone.has(p)), ...changed.filter((p) => mentions(p, vfs.read(p)))]
  } else list = walk(vfs, '').filter((p) => mentions(p, vfs.read(p)))
  candidates.set(vfs, list)
  return list
}

/** The Flux Kustomizations of the repository `vfs` named `name`. */
export function fluxKustomizationsNamed(vfs: Vfs, name: string): KustomizationRef[] {
  const out: KustomizationRef[] = []
  for (const p of candidatesOf(vfs)) {
    const text = vfs.read(p)
    if (text === undefined || !text.includes(name)) continue
    for (const r of refsOf(p, text)) if (r.name === name) out.push(r)
  }
  return out
}
